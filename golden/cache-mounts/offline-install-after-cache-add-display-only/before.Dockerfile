FROM node:18
WORKDIR /app
RUN npm cache add ms@2.1.3
COPY package.json package-lock.json ./
RUN npm ci --offline
COPY . .
CMD ["node", "index.js"]
