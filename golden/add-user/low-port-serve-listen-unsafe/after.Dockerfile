FROM node:18
RUN mkdir -p /srv && chown node:node /srv
RUN npm install -g serve@14.2.4
WORKDIR /srv
COPY --chown=node:node build ./build
USER 1000:1000
CMD ["serve", "-s", "build", "-l", "80"]
