# syntax=docker/dockerfile:1
FROM node:18
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN bash <(cat scripts/tools.sh)
CMD ["node", "index.js"]
