FROM node:20
WORKDIR /repo
COPY . .
RUN cd packages/api && npm ci --omit=dev
CMD ["node", "packages/api/server.js"]
