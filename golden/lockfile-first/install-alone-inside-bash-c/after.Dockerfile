FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN bash -c 'npm ci && npm cache clean --force'
COPY . .
CMD ["node", "index.js"]
