FROM node:18-alpine
WORKDIR /app
COPY package.json yarn.lock .yarnrc ./
RUN yarn install --frozen-lockfile
COPY . .
CMD ["yarn", "start"]
