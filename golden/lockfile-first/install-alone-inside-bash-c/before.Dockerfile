FROM node:18
WORKDIR /app
COPY . .
RUN bash -c 'npm ci && npm cache clean --force'
CMD ["node", "index.js"]
