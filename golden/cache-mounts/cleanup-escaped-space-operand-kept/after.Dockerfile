# syntax=docker/dockerfile:1
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci && rm -rf /tmp/a\ b
COPY . .
CMD ["node", "index.js"]
