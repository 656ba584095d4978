FROM node:18
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --production
COPY . .
RUN chmod +x /app/bin/start
EXPOSE 3000
CMD ["/app/bin/start"]
