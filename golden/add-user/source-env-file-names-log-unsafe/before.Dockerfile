FROM node:18
WORKDIR /app
COPY . .
CMD ["bash", "-c", "source ./env.sh && node server.js"]
