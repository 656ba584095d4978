FROM node:18
RUN mkdir -p /usr/src/app && chown node:node /usr/src/app
ARG PORT=80
ENV PORT=$PORT
WORKDIR /usr/src/app
COPY --chown=node:node . .
USER 1000:1000
CMD ["node", "server.js"]
