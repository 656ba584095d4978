FROM node:20-slim
ARG APP_DIR=/usr/src/app
WORKDIR ${APP_DIR}
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
ENV NODE_ENV=production
EXPOSE 3000
CMD ["node", "dist/index.js"]
