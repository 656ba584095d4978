FROM node:18
WORKDIR /app
COPY package.json ./
RUN npm install --no-audit
COPY . .
CMD ["node", "server.js"]
