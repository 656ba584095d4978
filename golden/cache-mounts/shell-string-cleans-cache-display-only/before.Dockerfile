FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN mkdir -p /app/logs && sh -c "npm ci && npm cache clean --force"
COPY . .
CMD ["node", "server.js"]
