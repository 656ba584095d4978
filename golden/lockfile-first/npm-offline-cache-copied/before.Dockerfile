FROM node:18
WORKDIR /usr/src/app
COPY . .
RUN npm ci --offline --cache ./npm-cache
CMD ["node", "server.js"]
