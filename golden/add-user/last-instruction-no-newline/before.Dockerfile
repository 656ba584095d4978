FROM node:20-slim
WORKDIR /app
CMD ["node", "index.js"]
COPY . .