FROM node:18
WORKDIR /app
COPY . .
CMD ["env", "NODE_ENV=production", "node", "server.js"]
