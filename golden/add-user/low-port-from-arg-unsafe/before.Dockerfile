FROM node:18
ARG PORT=80
ENV PORT=$PORT
WORKDIR /usr/src/app
COPY . .
CMD ["node", "server.js"]
