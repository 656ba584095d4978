FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN D=/root/.npm && npm ci && rm -rf $D && D=/tmp/build && mkdir -p $D
COPY . .
CMD ["node", "server.js"]
