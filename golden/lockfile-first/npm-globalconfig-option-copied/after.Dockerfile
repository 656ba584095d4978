FROM node:18
WORKDIR /app
COPY config/npmrc ./config/
COPY package.json package-lock.json ./
RUN npm ci --globalconfig config/npmrc
COPY . .
CMD ["node", "index.js"]
