FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
COPY index.js ./
RUN set -e; npm ci; npm run check && rm -rf /root/.npm; npm run build
COPY . .
CMD ["node", "index.js"]
