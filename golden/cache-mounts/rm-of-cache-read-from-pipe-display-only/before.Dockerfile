FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && ls -d /root/.npm | while read d; do rm -rf "$d"; done
COPY . .
CMD ["node", "index.js"]
