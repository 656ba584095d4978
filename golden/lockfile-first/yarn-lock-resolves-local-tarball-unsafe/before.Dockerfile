FROM node:18
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile --offline
CMD ["node", "index.js"]
