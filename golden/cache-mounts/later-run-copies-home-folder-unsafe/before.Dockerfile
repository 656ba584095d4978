FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN cp -a /root /backup-home
COPY . .
CMD ["node", "server.js"]
