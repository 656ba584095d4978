FROM node:18
WORKDIR /app
COPY package.json package-lock.json fetch-browser.js ./
RUN npm ci --omit=dev
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]
