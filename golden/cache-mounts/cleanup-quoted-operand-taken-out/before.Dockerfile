FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && rm -rf "$HOME/.npm" '/root/.npmrc'
COPY . .
CMD ["node", "index.js"]
