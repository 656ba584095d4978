# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN node scripts/tools.js
CMD ["node", "index.js"]
