FROM node:20 AS settings
WORKDIR /app
RUN corepack enable && yarn config set nodeLinker pnp

FROM node:20
RUN corepack enable
WORKDIR /app
COPY package.json yarn.lock ./
COPY --from=settings /app/.yarnrc.yml ./
RUN yarn install --immutable
CMD ["node", "index.js"]
