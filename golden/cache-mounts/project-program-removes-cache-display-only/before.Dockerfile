FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci && scripts/post-install
COPY . .
CMD ["node", "index.js"]
