FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npx --yes serve@14 --version
COPY . .
CMD ["node", "server.js"]
