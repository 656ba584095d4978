FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN du -s /root/.npm/_cacache > /app/cache-size.txt
COPY . .
CMD ["node", "server.js"]
