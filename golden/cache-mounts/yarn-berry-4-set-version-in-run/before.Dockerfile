FROM node:20
RUN corepack enable
WORKDIR /app
COPY . .
RUN yarn set version 3.8.7 && yarn install
CMD ["node", "index.js"]
