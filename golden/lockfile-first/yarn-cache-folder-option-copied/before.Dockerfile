FROM node:20
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile --offline --production --cache-folder ./yarn-cache
CMD ["node", "server.js"]
