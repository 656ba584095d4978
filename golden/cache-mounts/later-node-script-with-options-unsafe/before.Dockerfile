FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN node --no-warnings tools/cache-index.js > /app/cache-index.txt
CMD ["node", "server.js"]
