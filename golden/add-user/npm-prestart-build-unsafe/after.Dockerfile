FROM node:18
RUN mkdir -p /usr/src/app && chown node:node /usr/src/app
WORKDIR /usr/src/app
COPY --chown=node:node . .
RUN npm ci && npm run build
USER 1000:1000
EXPOSE 3000
CMD ["npm", "start"]
