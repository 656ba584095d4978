FROM node:20-slim
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
CMD ["node", "index.js"]
COPY --chown=node:node . .
USER 1000:1000