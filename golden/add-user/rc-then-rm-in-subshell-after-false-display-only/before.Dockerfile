FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN echo '{"greeting": "from-rc"}' > ~/.myapprc && (false && rm -f ~/.myapprc; true)
COPY . .
CMD ["node", "server.js"]
