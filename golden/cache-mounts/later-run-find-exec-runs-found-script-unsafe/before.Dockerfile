FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN find scripts -name 'tools.sh' -exec sh {} \;
CMD ["node", "index.js"]
