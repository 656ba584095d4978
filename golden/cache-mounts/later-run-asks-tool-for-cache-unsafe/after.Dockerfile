# syntax=docker/dockerfile:1
FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
RUN ls "$(npm config get cache)/_cacache" > /app/cache.txt
COPY . .
CMD ["node", "server.js"]
