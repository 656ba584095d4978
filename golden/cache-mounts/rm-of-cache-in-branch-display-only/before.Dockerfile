FROM node:20
ARG KEEP_CACHE
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && if [ -z "$KEEP_CACHE" ]; then rm -rf /root/.npm; fi
COPY . .
CMD ["node", "server.js"]
