FROM node:18 AS base
WORKDIR /app
ONBUILD COPY app ./app

FROM base
CMD ["node", "app/server.js"]
