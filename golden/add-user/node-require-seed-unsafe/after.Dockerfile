FROM node:20
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node . .
RUN npm ci --omit=dev && node -e "require('./db').seed()"
USER 1000:1000
CMD ["node", "server.js"]
