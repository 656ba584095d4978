FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN echo '{"greeting": "from-rc"}' > ~/.myapprc && cd /tmp && rm -rf *
COPY . .
CMD ["node", "server.js"]
