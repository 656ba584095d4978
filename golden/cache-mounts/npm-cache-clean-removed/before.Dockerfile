FROM node:18
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
CMD ["node", "server.js"]
