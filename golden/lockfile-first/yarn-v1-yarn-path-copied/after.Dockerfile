FROM node:18-alpine
WORKDIR /app
COPY package.json yarn.lock .yarnrc ./
COPY tools/yarn-1.22.19.js ./tools/
RUN yarn install --frozen-lockfile
COPY . .
CMD ["yarn", "start"]
