FROM node:20
ARG KEEP_CACHE
WORKDIR /app
COPY package.json package-lock.json ./
RUN D=/tmp/build; if [ -z "$KEEP_CACHE" ]; then D=/root/.npm; fi; npm ci && rm -rf $D
COPY . .
CMD ["node", "server.js"]
