# syntax=docker/dockerfile:1
FROM node:20
COPY package*.json ./
RUN --mount=type=cache,target=/root/.npm ["npm", "ci"]
