FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build
