FROM node:20 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps
RUN ls /root/.npm/_cacache > /app/cache.txt
COPY . .
CMD ["node", "server.js"]
