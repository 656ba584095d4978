FROM node:18
WORKDIR /app
COPY . .
CMD ["node", "--loader", "./loader.mjs", "server.mjs"]
