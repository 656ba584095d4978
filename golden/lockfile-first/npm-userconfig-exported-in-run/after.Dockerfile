FROM node:18
WORKDIR /app
COPY config/npmrc ./config/
COPY package.json package-lock.json ./
RUN export NPM_CONFIG_USERCONFIG=/app/config/npmrc && npm ci
COPY . .
CMD ["sh", "-c", "ls node_modules"]
