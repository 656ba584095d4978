# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY tools ./tools
RUN --mount=type=cache,target=/root/.npm npm ci && npm --prefix tools run build
COPY . .
CMD ["node", "index.js"]
