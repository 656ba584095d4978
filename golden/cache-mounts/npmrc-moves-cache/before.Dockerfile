FROM node:18
COPY npmrc /root/.npmrc
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
CMD ["node", "server.js"]
