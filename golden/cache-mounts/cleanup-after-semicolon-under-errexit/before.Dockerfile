FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN set -eux; \
    npm ci; \
    npm cache clean --force
COPY . .
CMD ["node", "index.js"]
