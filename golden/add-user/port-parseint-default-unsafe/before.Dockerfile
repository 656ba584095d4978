FROM node:20
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
CMD ["node", "server.js"]
