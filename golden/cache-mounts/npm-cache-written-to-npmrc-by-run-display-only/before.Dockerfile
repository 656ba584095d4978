FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN printf 'registry=https://registry.npmjs.org/\ncache=/tmp/npm-cache\n' > .npmrc \
 && npm ci \
 && npm cache clean --force
COPY . .
CMD ["node", "index.js"]
