FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && node -e "require('fs').rm('/root/.npm', {recursive: true, force: true}, e => { if (e) throw e })"
COPY . .
CMD ["node", "index.js"]
