FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node . .
RUN perl -e 'open(F, ">state.txt"); print F "0\n"'
USER 1000:1000
CMD ["node", "server.js"]
