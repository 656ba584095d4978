FROM node:20
WORKDIR /usr/src/app
RUN npm config set cache /usr/src/app/npm-cache --global && npm config set offline true --global
COPY package.json package-lock.json ./
COPY npm-cache/ ./npm-cache/
RUN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]
