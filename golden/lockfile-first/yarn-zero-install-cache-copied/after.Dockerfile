FROM node:20
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml ./
COPY .yarn/releases/ ./.yarn/releases/
COPY .yarn/cache/ ./.yarn/cache/
RUN yarn install --immutable
COPY . .
RUN yarn build
CMD ["node", "dist/index.js"]
