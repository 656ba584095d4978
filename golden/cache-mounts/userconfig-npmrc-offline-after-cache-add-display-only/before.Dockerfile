FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm cache add ms@2.1.3
ENV NPM_CONFIG_USERCONFIG=/app/config/npmrc
COPY config ./config
RUN npm ci
COPY . .
CMD ["node", "index.js"]
