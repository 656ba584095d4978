FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN du -s /root/./.npm > /app/cache-size.txt
COPY . .
CMD ["node", "server.js"]
