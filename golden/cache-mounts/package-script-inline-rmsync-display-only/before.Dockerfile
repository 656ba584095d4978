FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm run clean
COPY . .
CMD ["node", "index.js"]
