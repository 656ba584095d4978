FROM node:18
WORKDIR /app
COPY . .
RUN cd frontend && npm ci && npm run build
CMD ["node", "server.js"]
