FROM node:20
RUN corepack enable
WORKDIR /usr/src/app
COPY . .
RUN yarn install --immutable
EXPOSE 3000
CMD ["yarn", "node", "server.js"]
