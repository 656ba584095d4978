# syntax=docker/dockerfile:1
FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
RUN cd && tar czf /tmp/npm-cache.tgz .npm
COPY . .
CMD ["node", "server.js"]
