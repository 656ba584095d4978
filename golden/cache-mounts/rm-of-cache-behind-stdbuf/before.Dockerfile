FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && stdbuf -o0 rm -rf /root/.npm
COPY . .
CMD ["node", "index.js"]
