FROM node:18
WORKDIR /app
COPY npm-cache.tgz /tmp/
RUN tar -xzf /tmp/npm-cache.tgz -C /root && rm /tmp/npm-cache.tgz
COPY package.json package-lock.json ./
RUN npm ci --offline
COPY . .
CMD ["node", "index.js"]
