FROM node:18
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN sh -c 'npm test'
CMD ["node", "index.js"]
