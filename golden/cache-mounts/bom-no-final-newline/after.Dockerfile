# syntax=docker/dockerfile:1
FROM node:18
RUN --mount=type=cache,target=/root/.npm npm install -g pm2