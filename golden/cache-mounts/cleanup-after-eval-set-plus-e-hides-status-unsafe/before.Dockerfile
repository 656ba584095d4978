FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN set -e; npm ci; eval 'set +e'; npm run lint; rm -rf /root/.npm
COPY . .
CMD ["node", "index.js"]
