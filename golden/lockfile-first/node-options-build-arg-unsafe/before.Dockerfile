FROM node:18
WORKDIR /app
ARG NODE_OPTIONS
COPY . .
RUN npm ci
CMD ["node", "index.js"]
