# syntax=docker/dockerfile:1
FROM node:18
WORKDIR /usr/src/app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci && rm -rf .npmrc
COPY src ./src
RUN npm run build && rm -rf ~/.npm /tmp/* src
CMD ["node", "dist/app.js"]
