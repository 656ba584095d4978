FROM node:18
WORKDIR /app
COPY . .
CMD ["node", "-r", "./tracing.js", "server.js"]
