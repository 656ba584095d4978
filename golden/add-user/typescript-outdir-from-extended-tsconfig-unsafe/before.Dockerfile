FROM node:18
WORKDIR /app
COPY . .
RUN npm i -g typescript@5.4.5 && tsc -p tsconfig.build.json
CMD ["node", "build/server.js"]
