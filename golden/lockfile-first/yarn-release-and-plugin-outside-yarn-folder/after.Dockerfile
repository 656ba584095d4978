FROM node:20
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml ./
COPY tools/yarn-4.18.1.cjs tools/plugin-hello.cjs ./tools/
RUN yarn install --immutable
COPY . .
RUN yarn build
CMD ["node", "dist/index.js"]
