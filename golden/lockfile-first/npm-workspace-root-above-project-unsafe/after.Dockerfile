FROM node:20
WORKDIR /repo
COPY packages/api/package.json packages/api/package-lock.json ./packages/api/
RUN cd packages/api && npm ci --omit=dev
COPY . .
CMD ["node", "packages/api/server.js"]
