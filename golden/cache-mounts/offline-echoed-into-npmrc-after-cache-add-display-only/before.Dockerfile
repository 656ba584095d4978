FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm cache add ms@2.1.3
RUN echo offline=true > .npmrc
RUN npm ci
COPY . .
CMD ["node", "index.js"]
