FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node . .
RUN npm i -g typescript@5.4.5 && tsc -p tsconfig.build.json
USER 1000:1000
CMD ["node", "build/server.js"]
