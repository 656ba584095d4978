FROM node:18
RUN npm install -g pnpm@9.15.9
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile --prod
CMD ["node", "server.js"]
