# syntax=docker/dockerfile:1
FROM node:20
RUN corepack enable
WORKDIR /home/node/app
USER node
COPY --chown=node:node package.json yarn.lock .yarnrc.yml ./
RUN --mount=type=cache,target=/home/node/.yarn/berry/cache,uid=1000,gid=1000 \
    yarn install --immutable
COPY --chown=node:node . .
CMD ["node", "index.js"]
