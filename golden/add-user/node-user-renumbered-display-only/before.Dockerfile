FROM node:18
RUN groupmod -g 2000 node && usermod -u 2000 -g 2000 node
WORKDIR /usr/src/app
COPY . .
RUN mkdir data
CMD ["node", "server.js"]
