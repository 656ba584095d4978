FROM node:18
WORKDIR /app
COPY package*.json .env* ./
RUN npm ci
COPY src/ ./src/
CMD ["node", "src/main.js"]
