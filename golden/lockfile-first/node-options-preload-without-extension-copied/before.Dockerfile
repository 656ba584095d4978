FROM node:18
WORKDIR /app
ENV NODE_OPTIONS="-r ./preload"
COPY . .
RUN npm ci
CMD ["node", "index.js"]
