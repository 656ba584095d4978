FROM node:18
WORKDIR /app
COPY package.json yarn.lock .yarnrc ./
RUN yarn install --frozen-lockfile && yarn cache clean
COPY . .
CMD ["node", "server.js"]
