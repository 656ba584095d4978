FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && node -e "require('fs/promises').rm('/root/.npm', {recursive: true, force: true})"
COPY . .
CMD ["node", "index.js"]
