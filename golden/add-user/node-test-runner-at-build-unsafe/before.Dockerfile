FROM node:18
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN node --test
CMD ["node", "index.js"]
