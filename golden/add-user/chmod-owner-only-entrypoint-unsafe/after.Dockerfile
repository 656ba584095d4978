FROM node:18
RUN mkdir -p /usr/src/app && chown node:node /usr/src/app
WORKDIR /usr/src/app
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
RUN chmod u+x /usr/local/bin/entrypoint.sh
COPY --chown=node:node . .
USER 1000:1000
ENTRYPOINT ["entrypoint.sh"]
CMD ["node", "server.js"]
