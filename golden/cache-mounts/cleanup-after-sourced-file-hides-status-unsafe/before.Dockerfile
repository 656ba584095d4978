FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY relax.sh ./
RUN set -e; npm ci; . ./relax.sh; npm run lint; rm -rf /root/.npm
COPY . .
CMD ["node", "index.js"]
