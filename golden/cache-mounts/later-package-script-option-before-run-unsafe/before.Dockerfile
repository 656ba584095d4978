FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm --prefix=tools run warm
CMD ["node", "server.js"]
