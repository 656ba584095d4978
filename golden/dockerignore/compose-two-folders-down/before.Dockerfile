FROM node:18
WORKDIR /app
COPY services/ ./services/
CMD ["node", "services/api/server.js"]
