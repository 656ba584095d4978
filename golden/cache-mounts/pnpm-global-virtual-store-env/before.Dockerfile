FROM node:20
ENV npm_config_enable_global_virtual_store=true
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN corepack enable && pnpm install --frozen-lockfile
COPY . .
CMD ["node", "server.js"]
