# syntax=docker/dockerfile:1
FROM node:18
# dockmod: ignore[cache-mounts]
RUN npm ci
RUN --mount=type=cache,target=/root/.npm npm install -g pm2
