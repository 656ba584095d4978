FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node . .
USER 1000:1000
CMD ["npx", "--yes", "tsx@4.7.2", "server.ts"]
