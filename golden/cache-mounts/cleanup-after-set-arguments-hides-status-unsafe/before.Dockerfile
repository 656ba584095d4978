FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN set -- -e x; npm ci; npm run lint; rm -rf /root/.npm
COPY . .
CMD ["node", "index.js"]
