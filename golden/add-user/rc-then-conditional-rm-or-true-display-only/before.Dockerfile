FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN echo '{"greeting": "from-rc"}' > ~/.myapprc && { [ -n "$CI" ] && rm -f ~/.myapprc || true; }
COPY . .
CMD ["node", "server.js"]
