FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN set -eux; trap 'rm -rf /tmp/build' EXIT; npm ci; npm run lint; set +x; rm -rf /root/.npm
COPY . .
CMD ["node", "index.js"]
