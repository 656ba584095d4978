FROM node:18
WORKDIR /app
RUN npm cache add ms@2.1.3
COPY web/package.json web/package-lock.json web/.npmrc web/
RUN npm ci --prefix web
COPY . .
CMD ["node", "web/index.js"]
