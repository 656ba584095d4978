FROM node:18 AS base
RUN npm cache add ms@2.1.3

FROM base
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --offline
COPY . .
CMD ["node", "index.js"]
