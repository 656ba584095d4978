FROM node:18
WORKDIR /app
COPY . .
ENV NODE_PATH=/app/lib
CMD ["node", "server.js"]
