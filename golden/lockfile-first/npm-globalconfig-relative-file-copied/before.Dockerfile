FROM node:18
WORKDIR /app
RUN npm config set globalconfig config/npmrc
COPY . .
RUN npm ci
CMD ["node", "index.js"]
