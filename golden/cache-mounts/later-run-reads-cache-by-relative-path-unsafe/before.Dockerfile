FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN cd && tar czf /tmp/npm-cache.tgz .npm
COPY . .
CMD ["node", "server.js"]
