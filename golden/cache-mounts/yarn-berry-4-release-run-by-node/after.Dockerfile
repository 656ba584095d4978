# syntax=docker/dockerfile:1
FROM node:20
WORKDIR /usr/src/app
COPY . .
RUN --mount=type=cache,target=/root/.yarn/berry/cache \
    node .yarn/releases/yarn-4.5.3.cjs install --immutable
CMD ["node", "server.js"]
