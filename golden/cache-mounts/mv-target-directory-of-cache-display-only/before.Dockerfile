FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && mkdir -p /opt/npm-cache && mv -t /opt/npm-cache /root/.npm
COPY . .
CMD ["node", "server.js"]
