FROM node:18-alpine
WORKDIR /app
COPY package.json yarn.lock .yarnrc ./
COPY offline-cache/ ./offline-cache/
RUN yarn install --frozen-lockfile
COPY . .
CMD ["yarn", "start"]
