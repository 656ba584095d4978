# syntax=docker/dockerfile:1
FROM node:20
ENV XDG_DATA_HOME=/data
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN --mount=type=cache,target=/data/pnpm/store pnpm install --frozen-lockfile
COPY . .
CMD ["node", "server.js"]
