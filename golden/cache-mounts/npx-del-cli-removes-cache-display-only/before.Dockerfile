FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npx --yes del-cli@5.1.0 --force /root/.npm
COPY . .
CMD ["node", "index.js"]
