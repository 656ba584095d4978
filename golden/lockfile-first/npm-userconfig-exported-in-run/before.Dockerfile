FROM node:18
WORKDIR /app
COPY . .
RUN export NPM_CONFIG_USERCONFIG=/app/config/npmrc && npm ci
CMD ["sh", "-c", "ls node_modules"]
