FROM node:18
WORKDIR /home/node/app
USER node
COPY --chown=node:node . .
RUN npm ci --omit=dev
CMD ["node", "server.js"]
