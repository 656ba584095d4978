FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN env -C tools npm run warm
CMD ["node", "index.js"]
