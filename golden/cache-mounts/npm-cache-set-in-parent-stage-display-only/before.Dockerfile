FROM node:20 AS base
RUN npm config set cache /tmp/npm-cache --global
WORKDIR /app

FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force

FROM base
COPY --from=deps /app/node_modules ./node_modules
COPY . .
CMD ["node", "index.js"]
