FROM node:20
WORKDIR /usr/src/app
COPY . .
RUN yarn install --immutable
CMD ["node", "server.js"]
