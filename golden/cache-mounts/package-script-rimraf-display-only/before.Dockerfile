FROM node:18
RUN --mount=type=cache,target=/root/.npm npm i -g rimraf@5.0.5
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm run clean
COPY . .
CMD ["node", "index.js"]
