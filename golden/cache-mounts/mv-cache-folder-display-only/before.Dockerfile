FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && mv /root/.npm /opt/npm-cache
COPY . .
CMD ["node", "server.js"]
