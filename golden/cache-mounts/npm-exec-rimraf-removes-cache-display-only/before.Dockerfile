FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm exec --yes -- rimraf@5.0.5 /root/.npm
COPY . .
CMD ["node", "index.js"]
