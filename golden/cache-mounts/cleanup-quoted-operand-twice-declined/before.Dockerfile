FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && rm -rf "/root/.npm" "/root/.npm" /tmp/junk
COPY . .
CMD ["node", "index.js"]
