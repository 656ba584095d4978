FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
ENV NODE_OPTIONS="--require /app/preload.js"
COPY --chown=node:node . .
USER 1000:1000
CMD ["node", "server.js"]
