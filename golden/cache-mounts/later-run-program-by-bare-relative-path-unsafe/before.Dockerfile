FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN chmod +x scripts/tools && scripts/tools
CMD ["node", "index.js"]
