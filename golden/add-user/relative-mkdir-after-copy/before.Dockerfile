FROM node:18
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci
COPY . .
RUN mkdir uploads data
EXPOSE 3000
CMD ["node", "server.js"]
