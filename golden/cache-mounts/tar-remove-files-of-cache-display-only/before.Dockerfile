FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && tar --remove-files -czf /opt/npm-cache.tgz -C /root .npm
COPY . .
CMD ["node", "server.js"]
