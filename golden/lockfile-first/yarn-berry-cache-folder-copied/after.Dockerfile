FROM node:20
WORKDIR /usr/src/app
COPY package.json yarn.lock .yarnrc.yml ./
COPY vendor/yarn-cache/ ./vendor/yarn-cache/
RUN yarn install --immutable --immutable-cache
COPY . .
CMD ["node", "server.js"]
