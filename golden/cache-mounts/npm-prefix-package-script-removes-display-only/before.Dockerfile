FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY tools ./tools
RUN npm ci && npm --prefix tools run clean
COPY . .
CMD ["node", "index.js"]
