FROM node:20-alpine

WORKDIR /app

# dependencies first
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile

COPY tsconfig.json ./
COPY src ./src
RUN yarn build

ENV NODE_ENV=production
CMD ["node", "dist/index.js"]
