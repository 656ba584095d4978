FROM node:20
WORKDIR /usr/src/app
COPY . .
RUN yarn install --immutable --immutable-cache
CMD ["node", "server.js"]
