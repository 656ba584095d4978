FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN rm -rf /root/.npm
COPY . .
CMD ["node", "server.js"]
