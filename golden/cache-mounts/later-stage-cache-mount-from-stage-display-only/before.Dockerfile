FROM node:18 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM node:18
RUN --mount=type=cache,from=deps,source=/root/.npm,target=/seed,id=seed cp -r /seed /opt/npm-cache
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY index.js ./
CMD ["node", "index.js"]
