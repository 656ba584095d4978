FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node package*.json ./
RUN npm install
COPY --chown=node:node . .
USER 1000:1000
CMD ["npx", "nodemon", "--watch", "src", "src/server.js"]
