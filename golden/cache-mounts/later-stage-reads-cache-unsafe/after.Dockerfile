# syntax=docker/dockerfile:1
FROM node:20 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

FROM deps
RUN ls /root/.npm/_cacache > /app/cache.txt
COPY . .
CMD ["node", "server.js"]
