# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN chmod +x scripts/tools && scripts/tools
CMD ["node", "index.js"]
