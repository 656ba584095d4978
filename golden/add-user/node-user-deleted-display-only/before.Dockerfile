FROM node:18
RUN userdel --remove node
WORKDIR /usr/src/app
COPY . .
CMD ["node", "server.js"]
