# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile
COPY . .
RUN yarn warm
CMD ["node", "index.js"]
