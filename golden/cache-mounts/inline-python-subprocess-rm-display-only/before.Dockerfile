FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && python3 -c "import subprocess; subprocess.run(['rm', '-rf', '/root/.npm'], check=True)"
COPY . .
CMD ["node", "index.js"]
