FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && rm -rf /tmp/a\ b "/root/.npm"
COPY . .
CMD ["node", "index.js"]
