FROM node:18
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci && npm install -g pm2@5.4.2
COPY . .
CMD ["pm2-runtime", "./bin/www", "--output", "/var/log/app-out.log", "--error", "/var/log/app-err.log"]
