FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node package*.json ./
RUN npm ci
COPY --chown=node:node . .
RUN sh -c 'npm test'
USER 1000:1000
CMD ["node", "index.js"]
