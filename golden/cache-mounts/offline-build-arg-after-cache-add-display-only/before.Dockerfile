FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm cache add ms@2.1.3
ARG NPM_CONFIG_OFFLINE
RUN npm ci
COPY . .
CMD ["node", "index.js"]
