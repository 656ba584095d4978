FROM node:18
WORKDIR /app
ENV NPM_CONFIG_GLOBALCONFIG=/app/config/npmrc
COPY config/npmrc ./config/
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "index.js"]
