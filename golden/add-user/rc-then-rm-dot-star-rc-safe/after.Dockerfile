FROM node:20
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci
RUN echo '{"greeting": "from-rc"}' > ~/.myapprc && npm config ls && rm -f ~/.*rc
COPY --chown=node:node . .
USER 1000:1000
CMD ["node", "server.js"]
