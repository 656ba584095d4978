FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY tools ./tools
RUN npm ci && yarn --cwd tools clean
COPY . .
CMD ["node", "index.js"]
