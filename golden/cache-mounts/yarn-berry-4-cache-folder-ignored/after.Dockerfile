# syntax=docker/dockerfile:1
FROM node:20
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml ./
RUN --mount=type=cache,target=/root/.yarn/berry/cache yarn install --immutable
COPY . .
CMD ["node", "index.js"]
