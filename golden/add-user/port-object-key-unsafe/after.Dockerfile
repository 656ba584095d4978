FROM node:20
RUN mkdir -p /usr/src/app && chown node:node /usr/src/app
WORKDIR /usr/src/app
COPY --chown=node:node . .
USER 1000:1000
CMD ["node", "server.js"]
