# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY index.js ./
RUN --mount=type=cache,target=/root/.npm npm ci; npm run check; npm run build
COPY . .
CMD ["node", "index.js"]
