FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN clean() { rm -rf "$1"; }; npm ci && clean /root/.npm
COPY . .
CMD ["node", "index.js"]
