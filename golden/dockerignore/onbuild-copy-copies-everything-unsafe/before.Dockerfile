FROM node:18 AS base
WORKDIR /app
ONBUILD COPY . .

FROM base
CMD ["node", "server.js"]
