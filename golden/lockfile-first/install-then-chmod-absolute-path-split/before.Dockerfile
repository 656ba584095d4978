FROM node:18
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile --production && chmod +x /app/bin/start
EXPOSE 3000
CMD ["/app/bin/start"]
