# syntax=docker/dockerfile:1
FROM node:20
USER node
WORKDIR /home/node/app
COPY --chown=node:node package.json package-lock.json ./
RUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci --omit=dev
