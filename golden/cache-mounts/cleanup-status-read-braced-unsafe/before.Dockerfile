FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci; npm run lint; rm -rf /root/.npm; echo "status ${?}" > /app/status.txt
COPY . .
CMD ["node", "index.js"]
