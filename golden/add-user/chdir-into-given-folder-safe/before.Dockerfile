FROM node:18
RUN mkdir -p /var/lib/app
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
