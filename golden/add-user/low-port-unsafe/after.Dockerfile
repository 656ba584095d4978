FROM node:20-slim
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node package.json pnpm-lock.yaml ./
RUN corepack enable && pnpm install --frozen-lockfile --prod
COPY --chown=node:node . .
USER 1000:1000
ENV PORT=80
EXPOSE 80
CMD ["node", "server.js"]
