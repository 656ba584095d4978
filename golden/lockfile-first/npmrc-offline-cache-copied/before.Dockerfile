FROM node:20
WORKDIR /app
COPY . .
RUN npm ci --offline --omit=dev
CMD ["node", "server.js"]
