FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && node -e "require('child_process').execFileSync('rm', ['-rf', '/root/.npm'], {stdio: 'inherit'})"
COPY . .
CMD ["node", "index.js"]
