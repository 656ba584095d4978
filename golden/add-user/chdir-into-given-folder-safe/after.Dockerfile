FROM node:18
RUN mkdir -p /app /var/lib/app && chown node:node /app /var/lib/app
RUN mkdir -p /var/lib/app
WORKDIR /app
COPY --chown=node:node . .
USER 1000:1000
CMD ["node", "server.js"]
