FROM node:20
WORKDIR /usr/src/app
COPY . .
RUN node .yarn/releases/yarn-4.5.3.cjs install --immutable
CMD ["node", "server.js"]
