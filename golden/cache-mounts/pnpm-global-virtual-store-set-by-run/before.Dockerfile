FROM node:20
RUN corepack enable && pnpm config set enable-global-virtual-store true
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
COPY . .
CMD ["node", "server.js"]
