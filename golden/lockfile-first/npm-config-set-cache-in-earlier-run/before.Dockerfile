FROM node:20
WORKDIR /usr/src/app
RUN npm config set cache /usr/src/app/npm-cache --global && npm config set offline true --global
COPY . .
RUN npm ci --omit=dev
CMD ["node", "server.js"]
