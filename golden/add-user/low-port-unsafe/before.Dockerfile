FROM node:20-slim
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN corepack enable && pnpm install --frozen-lockfile --prod
COPY . .
ENV PORT=80
EXPOSE 80
CMD ["node", "server.js"]
