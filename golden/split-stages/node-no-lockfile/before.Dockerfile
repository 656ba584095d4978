FROM node:16
WORKDIR /app
COPY . .
RUN npm install && npm run build
CMD ["node", "build/server.js"]
