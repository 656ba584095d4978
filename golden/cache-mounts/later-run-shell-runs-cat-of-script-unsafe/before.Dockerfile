FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN sh -c "$(cat scripts/tools.sh)"
CMD ["node", "index.js"]
