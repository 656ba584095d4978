FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && echo "built $(date +%F)" > /root/.npm/build-stamp.txt
COPY . .
CMD ["node", "server.js"]
