FROM node:18
WORKDIR /app
ENV NODE_OPTIONS="--require /app/preload.js"
COPY preload.js package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "index.js"]
