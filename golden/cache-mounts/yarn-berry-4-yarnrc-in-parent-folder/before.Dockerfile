FROM node:20
WORKDIR /srv
COPY . .
WORKDIR /srv/web
RUN yarn install --immutable
CMD ["node", "server.js"]
