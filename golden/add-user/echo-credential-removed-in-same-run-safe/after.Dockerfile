FROM node:20
RUN mkdir -p /app && chown node:node /app
ARG NPM_TOKEN
WORKDIR /app
COPY --chown=node:node package.json package-lock.json ./
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci && rm -f ~/.npmrc
COPY --chown=node:node . .
USER 1000:1000
CMD ["node", "server.js"]
