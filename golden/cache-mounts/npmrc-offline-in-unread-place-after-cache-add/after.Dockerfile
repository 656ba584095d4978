# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm cache add ms@2.1.3
COPY npmrc /usr/etc/npmrc
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
CMD ["node", "index.js"]
