FROM node:18
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
ENTRYPOINT ["./docker-entrypoint.sh"]
CMD ["node", "server.js"]
