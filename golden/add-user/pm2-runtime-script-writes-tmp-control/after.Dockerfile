FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node package*.json ./
RUN npm install
COPY --chown=node:node . .
RUN npm install -g pm2@5
USER 1000:1000
CMD ["pm2-runtime", "start", "server.js"]
