FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN clean() { rm -rf /root/.npm; }; npm ci && clean
COPY . .
CMD ["node", "index.js"]
