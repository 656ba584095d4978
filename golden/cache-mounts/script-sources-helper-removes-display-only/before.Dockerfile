FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci && sh scripts/clean.sh
COPY . .
CMD ["node", "index.js"]
