FROM node:20
RUN corepack enable
WORKDIR /home/node/app
USER node
COPY --chown=node:node package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY --chown=node:node . .
CMD ["node", "index.js"]
