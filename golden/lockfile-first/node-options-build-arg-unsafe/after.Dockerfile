FROM node:18
WORKDIR /app
ARG NODE_OPTIONS
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "index.js"]
