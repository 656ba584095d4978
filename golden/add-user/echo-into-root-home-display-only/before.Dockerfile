FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN echo '{"greeting": "from-rc"}' > /root/.myapprc
CMD ["node", "server.js"]
