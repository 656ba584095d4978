# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci && npx --yes serve@14 --version
COPY . .
CMD ["node", "server.js"]
