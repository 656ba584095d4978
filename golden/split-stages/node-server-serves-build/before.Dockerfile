FROM node:20-bookworm-slim
WORKDIR /srv/app
COPY . .
# install everything, then bundle the client
RUN npm ci && npm run build:client
EXPOSE 8080
CMD ["npm", "start"]
