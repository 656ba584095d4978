FROM node:18 AS seed
COPY npm-cache.tgz /tmp/
RUN tar -xzf /tmp/npm-cache.tgz -C /root

FROM node:18
COPY --from=seed /root /root
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --offline
COPY . .
CMD ["node", "index.js"]
