FROM node:20
WORKDIR /app
COPY . .
RUN cd web && yarn install --immutable
WORKDIR /app/web
CMD ["node", "server.js"]
