FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm pack ms@2.1.3 --pack-destination /tmp >/dev/null
RUN npm ci --offline
COPY . .
CMD ["node", "index.js"]
