# syntax=docker/dockerfile:1
FROM node:18
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm set -e; trap 'set +e' DEBUG; npm ci; npm run lint
COPY . .
CMD ["node", "index.js"]
