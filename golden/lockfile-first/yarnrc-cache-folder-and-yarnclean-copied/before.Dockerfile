FROM node:20
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile --offline --production
CMD ["node", "server.js"]
