FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node package.json ./
RUN npm install --no-audit
COPY --chown=node:node . .
USER 1000:1000
CMD ["node", "server.js"]
