FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx -c 'sh scripts/tools.sh'
CMD ["node", "index.js"]
