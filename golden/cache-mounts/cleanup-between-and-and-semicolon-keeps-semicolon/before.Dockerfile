FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && rm -rf /root/.npm; npm run lint
COPY . .
CMD ["node", "index.js"]
