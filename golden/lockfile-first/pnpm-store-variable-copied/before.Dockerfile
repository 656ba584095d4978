FROM node:20
RUN npm install -g pnpm@8.15.9
ENV npm_config_store_dir=/app/.pnpm-store
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile --prod --offline
CMD ["node", "server.js"]
