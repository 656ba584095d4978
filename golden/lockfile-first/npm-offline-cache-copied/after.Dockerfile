FROM node:18
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
COPY npm-cache/ ./npm-cache/
RUN npm ci --offline --cache ./npm-cache
COPY . .
CMD ["node", "server.js"]
