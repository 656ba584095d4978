FROM node:18
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci
COPY src ./src
RUN npm run build
CMD ["node", "dist/server.js"]
