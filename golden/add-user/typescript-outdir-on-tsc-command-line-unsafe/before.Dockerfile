FROM node:18
WORKDIR /app
COPY . .
RUN npm i -g typescript@5.4.5 && tsc --outDir build --rootDir src --module commonjs --target es2020 src/server.ts
CMD ["node", "build/server.js"]
