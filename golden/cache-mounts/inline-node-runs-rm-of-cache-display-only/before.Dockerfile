FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && node -e "require('child_process').execSync('rm -rf /root/.npm')"
COPY . .
CMD ["node", "index.js"]
