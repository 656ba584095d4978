# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    set -eux; trap 'rm -rf /tmp/build' EXIT; npm ci; npm run lint; set +x
COPY . .
CMD ["node", "index.js"]
