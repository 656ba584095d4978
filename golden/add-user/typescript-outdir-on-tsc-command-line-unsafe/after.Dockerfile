FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node . .
RUN npm i -g typescript@5.4.5 && tsc --outDir build --rootDir src --module commonjs --target es2020 src/server.ts
USER 1000:1000
CMD ["node", "build/server.js"]
