FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci; npm run lint; rm -rf /root/.npm; exit
COPY . .
CMD ["node", "index.js"]
