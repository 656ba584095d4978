# syntax=docker/dockerfile:1
FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm D=/root/.npm && npm ci && D=/tmp/build && mkdir -p $D
COPY . .
CMD ["node", "server.js"]
