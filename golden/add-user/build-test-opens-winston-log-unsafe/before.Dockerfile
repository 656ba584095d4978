FROM node:18
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN node test.js
CMD ["node", "index.js"]
