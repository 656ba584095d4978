FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm install -g pm2
CMD ["pm2-runtime", "server.js"]
