FROM node:20-bookworm-slim AS builder
WORKDIR /srv/app
COPY . .
# install everything, then bundle the client
RUN npm ci && npm run build:client

FROM node:20-bookworm-slim
WORKDIR /srv/app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
COPY --from=builder /srv/app/public/assets ./public/assets
EXPOSE 8080
CMD ["npm", "start"]
