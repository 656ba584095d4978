FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN yarn --cwd tools warm
CMD ["node", "index.js"]
