FROM node:20
WORKDIR /app
COPY . .
RUN npm ci --omit=dev && node -e "require('./db').seed()"
CMD ["node", "server.js"]
