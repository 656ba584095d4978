FROM node:20
WORKDIR /app
COPY . .
RUN npm ci --omit=dev && npm run build
CMD ["node", "server.js"]
