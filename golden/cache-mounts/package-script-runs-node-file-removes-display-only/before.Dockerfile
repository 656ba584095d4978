FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci && npm run clean
COPY . .
CMD ["node", "index.js"]
