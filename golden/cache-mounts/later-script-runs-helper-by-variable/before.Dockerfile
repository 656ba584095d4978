FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN sh scripts/all.sh
CMD ["node", "index.js"]
