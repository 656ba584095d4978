FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --offline
COPY . .
CMD ["node", "index.js"]
