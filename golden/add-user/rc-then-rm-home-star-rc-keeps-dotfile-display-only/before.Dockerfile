FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN echo '{"greeting": "from-rc"}' > ~/.myapprc && rm -f ~/*rc
COPY . .
CMD ["node", "server.js"]
