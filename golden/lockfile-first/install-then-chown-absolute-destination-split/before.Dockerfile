FROM node:18
WORKDIR /app
COPY . .
RUN npm ci --omit=dev && chown -R node:node /app
USER node
EXPOSE 3000
CMD ["node", "server.js"]
