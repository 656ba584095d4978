# syntax=docker/dockerfile:1
FROM node:18
RUN rm -rf /root/.npm /tmp/npm-*
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
