FROM node:18
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY package.json package-lock.json ./
RUN set -e; trap 'set +e' DEBUG; npm ci; npm run lint; rm -rf /root/.npm
COPY . .
CMD ["node", "index.js"]
