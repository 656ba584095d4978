# syntax=docker/dockerfile:1
FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN node --no-warnings tools/cache-index.js > /app/cache-index.txt
CMD ["node", "server.js"]
