FROM node:20
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY .npm-cache/ ./.npm-cache/
RUN npm ci --offline --omit=dev
COPY . .
CMD ["node", "server.js"]
