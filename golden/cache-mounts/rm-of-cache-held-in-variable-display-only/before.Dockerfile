FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && CLEAN='rm -rf /root/.npm' && $CLEAN
COPY . .
CMD ["node", "index.js"]
