FROM node:18
WORKDIR /app
COPY . .
RUN npm ci --offline
CMD ["node", "index.js"]
