FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run --prefix tools warm
CMD ["node", "server.js"]
