FROM node:18
WORKDIR /app
COPY . .
RUN npm ci --globalconfig config/npmrc
CMD ["node", "index.js"]
