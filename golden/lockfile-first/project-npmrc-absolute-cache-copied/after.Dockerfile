FROM node:20
WORKDIR /usr/src/app
COPY package.json package-lock.json .npmrc ./
COPY npm-cache/ ./npm-cache/
RUN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]
