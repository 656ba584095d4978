FROM node:18
WORKDIR /app
COPY . .
CMD ["npx", "--yes", "tsx@4.7.2", "server.ts"]
