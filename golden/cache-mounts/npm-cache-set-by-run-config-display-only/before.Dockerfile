FROM node:20
RUN npm config set cache /tmp/npm-cache --global
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
CMD ["node", "index.js"]
