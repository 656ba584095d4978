FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN echo '{"greeting": "from-rc"}' > /root/.myapprc && rm -rf /root/*
COPY . .
CMD ["node", "server.js"]
