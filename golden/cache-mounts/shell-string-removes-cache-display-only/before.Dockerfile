FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && sh -c 'rm -rf /root/.npm'
COPY . .
CMD ["node", "server.js"]
