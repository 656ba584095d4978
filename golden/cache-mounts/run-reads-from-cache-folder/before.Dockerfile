FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && tar -czf /tmp/npm-cache.tgz -C /root/.npm . && mkdir -p /root/.npm/_logs
COPY . .
CMD ["node", "server.js"]
