FROM node:20
WORKDIR /app
COPY web/package.json web/yarn.lock ./web/
RUN cd web && yarn install --immutable
COPY . .
WORKDIR /app/web
CMD ["node", "server.js"]
