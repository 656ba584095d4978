FROM node:20
ARG NPM_TOKEN
WORKDIR /app
COPY package.json package-lock.json ./
RUN echo "//npm.acme.example/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci && rm -rf ~/.npm*
COPY . .
CMD ["node", "server.js"]
