# syntax=docker/dockerfile:1
FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
RUN du -s /root/./.npm > /app/cache-size.txt
COPY . .
CMD ["node", "server.js"]
