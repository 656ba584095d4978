FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["sh", "-c", "npm install --offline --no-audit --no-fund --prefix /tmp/x ms@2.1.3 && node index.js"]
