FROM node:18
WORKDIR /app
ENV NPM_CONFIG_GLOBALCONFIG=/app/config/npmrc
COPY . .
RUN npm ci
CMD ["node", "index.js"]
