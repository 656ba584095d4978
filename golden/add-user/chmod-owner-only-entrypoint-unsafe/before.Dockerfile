FROM node:18
WORKDIR /usr/src/app
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
RUN chmod u+x /usr/local/bin/entrypoint.sh
COPY . .
ENTRYPOINT ["entrypoint.sh"]
CMD ["node", "server.js"]
