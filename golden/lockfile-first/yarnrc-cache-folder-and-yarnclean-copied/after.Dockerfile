FROM node:20
WORKDIR /app
COPY package.json yarn.lock .yarnrc .yarnclean ./
COPY yarn-cache/ ./yarn-cache/
RUN yarn install --frozen-lockfile --offline --production
COPY . .
CMD ["node", "server.js"]
