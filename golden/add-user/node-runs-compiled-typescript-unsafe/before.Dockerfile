FROM node:18
WORKDIR /app
COPY . .
RUN npm ci && npx tsc
CMD ["node", "dist/server.js"]
