FROM node:20
ENV YARN_CACHE_FOLDER=/app/yarn-cache
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile --offline --production
CMD ["node", "server.js"]
