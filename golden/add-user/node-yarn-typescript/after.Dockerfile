FROM node:20-alpine
RUN mkdir -p /app && chown node:node /app

WORKDIR /app

# dependencies first
COPY --chown=node:node package.json yarn.lock ./
RUN yarn install --frozen-lockfile

COPY --chown=node:node tsconfig.json ./
COPY --chown=node:node src ./src
RUN yarn build
USER 1000:1000

ENV NODE_ENV=production
CMD ["node", "dist/index.js"]
