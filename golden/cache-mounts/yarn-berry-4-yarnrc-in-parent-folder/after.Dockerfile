# syntax=docker/dockerfile:1
FROM node:20
WORKDIR /srv
COPY . .
WORKDIR /srv/web
RUN --mount=type=cache,target=/root/.yarn/berry/cache yarn install --immutable
CMD ["node", "server.js"]
