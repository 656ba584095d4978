FROM node:18
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY package.json package-lock.json ./
RUN set -e; npm ci; shopt -uo errexit; npm run lint; rm -rf /root/.npm
COPY . .
CMD ["node", "index.js"]
