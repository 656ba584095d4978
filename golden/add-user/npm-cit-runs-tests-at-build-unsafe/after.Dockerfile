FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node . .
RUN npm cit
USER 1000:1000
CMD ["node", "index.js"]
