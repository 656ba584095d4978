FROM node:18
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarnpkg cache list > /app/yarn-cache.txt
CMD ["node", "index.js"]
