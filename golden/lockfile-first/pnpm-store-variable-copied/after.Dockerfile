FROM node:20
RUN npm install -g pnpm@8.15.9
ENV npm_config_store_dir=/app/.pnpm-store
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
COPY .pnpm-store/ ./.pnpm-store/
RUN pnpm install --frozen-lockfile --prod --offline
COPY . .
CMD ["node", "server.js"]
