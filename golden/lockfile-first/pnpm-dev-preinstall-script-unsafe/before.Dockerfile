FROM node:20
RUN npm install -g pnpm@8.15.9
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile --prod
CMD ["node", "server.js"]
