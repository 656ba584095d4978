FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && [ -f .npmrc ] && cat .npmrc; rm -rf /root/.npm
COPY . .
CMD ["node", "index.js"]
