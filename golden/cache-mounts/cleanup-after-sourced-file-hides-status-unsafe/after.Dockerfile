# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY relax.sh ./
RUN --mount=type=cache,target=/root/.npm set -e; npm ci; . ./relax.sh; npm run lint
COPY . .
CMD ["node", "index.js"]
