# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN env -C tools npm run warm
CMD ["node", "index.js"]
