FROM node:18
WORKDIR /usr/src/app
COPY --chown=node:node package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm install
COPY --chown=node:node . .
USER node
EXPOSE 3000
CMD ["npm", "start"]
