FROM node:20
WORKDIR /repo
COPY . .
WORKDIR /repo/apps/web
RUN corepack enable && pnpm install --frozen-lockfile
CMD ["node", "server.js"]
