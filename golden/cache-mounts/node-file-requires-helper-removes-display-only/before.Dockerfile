FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci && node scripts/clean.js
COPY . .
CMD ["node", "index.js"]
