FROM node:18
WORKDIR /app
ENV NODE_OPTIONS="--require /app/preload.js"
COPY . .
RUN npm ci
CMD ["node", "index.js"]
