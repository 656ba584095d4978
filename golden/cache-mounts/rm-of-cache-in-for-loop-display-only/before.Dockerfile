FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && for d in /root/.npm; do rm -rf $d; done
COPY . .
CMD ["node", "index.js"]
