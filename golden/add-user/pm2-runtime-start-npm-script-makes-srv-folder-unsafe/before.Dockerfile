FROM node:18
WORKDIR /app
COPY package*.json ./
RUN npm install
COPY . .
RUN npm install -g pm2@5
CMD ["pm2-runtime", "start", "npm", "--", "start"]
