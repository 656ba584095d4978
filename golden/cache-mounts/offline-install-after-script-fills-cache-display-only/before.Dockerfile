FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN sh scripts/seed.sh
RUN npm ci --offline
COPY . .
CMD ["node", "index.js"]
