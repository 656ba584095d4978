FROM node:20
WORKDIR /app
COPY package.json yarn.lock ./
COPY yarn-cache/ ./yarn-cache/
RUN yarn install --frozen-lockfile --offline --production --cache-folder ./yarn-cache
COPY . .
CMD ["node", "server.js"]
