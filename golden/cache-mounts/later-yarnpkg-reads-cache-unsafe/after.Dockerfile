# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile
COPY . .
RUN yarnpkg cache list > /app/yarn-cache.txt
CMD ["node", "index.js"]
