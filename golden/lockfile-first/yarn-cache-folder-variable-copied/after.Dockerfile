FROM node:20
ENV YARN_CACHE_FOLDER=/app/yarn-cache
WORKDIR /app
COPY package.json yarn.lock ./
COPY yarn-cache/ ./yarn-cache/
RUN yarn install --frozen-lockfile --offline --production
COPY . .
CMD ["node", "server.js"]
