FROM node:18
WORKDIR /app
COPY . .
CMD ["nodejs", "server.js"]
