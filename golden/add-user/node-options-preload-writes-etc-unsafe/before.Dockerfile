FROM node:18
WORKDIR /app
ENV NODE_OPTIONS="--require /app/preload.js"
COPY . .
CMD ["node", "server.js"]
