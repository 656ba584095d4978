FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm run cleancache
COPY . .
CMD ["node", "index.js"]
