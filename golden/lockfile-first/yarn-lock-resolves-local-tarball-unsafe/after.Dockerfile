FROM node:18
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --offline
COPY . .
CMD ["node", "index.js"]
