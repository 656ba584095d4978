FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN ls "$(npm config get cache)/_cacache" > /app/cache.txt
COPY . .
CMD ["node", "server.js"]
