FROM node:18 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM node:18
RUN --mount=type=bind,from=deps,source=/root,target=/seed cp -r /seed/.npm /opt/npm-cache
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY index.js ./
CMD ["node", "index.js"]
