FROM node:20
COPY package.json package-lock.json ./
RUN npm ci
COPY server.js ./
CMD ["node", "server.js"]
