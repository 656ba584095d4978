FROM node:18
WORKDIR /usr/src/app
COPY . .
ENTRYPOINT ["/usr/src/app/docker-entrypoint.sh"]
CMD ["node", "server.js"]
