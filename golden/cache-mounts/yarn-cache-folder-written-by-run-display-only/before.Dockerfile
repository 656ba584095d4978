FROM node:20
RUN echo 'cache-folder "/tmp/yarn-cache"' >> ~/.yarnrc
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile && yarn cache clean
COPY . .
CMD ["node", "index.js"]
