FROM node:18
RUN mkdir -p /usr/src/app && chown node:node /usr/src/app
WORKDIR /usr/src/app
COPY --chown=node:node package*.json ./
RUN npm ci
COPY --chown=node:node . .
RUN mkdir uploads data
RUN mkdir -p /usr/src/app/uploads /usr/src/app/data && chown node:node /usr/src/app/uploads /usr/src/app/data
USER 1000:1000
EXPOSE 3000
CMD ["node", "server.js"]
