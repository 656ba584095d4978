FROM node:20
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY package.json package-lock.json ./
RUN echo "//npm.acme.example/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci && rm -rf ~/.npm/{_cacache,../.npmrc}
COPY . .
CMD ["node", "server.js"]
