FROM node:18
WORKDIR /app
ARG CLEAN="rm -rf /root/.npm"
COPY package.json package-lock.json ./
RUN npm ci && eval "$CLEAN"
COPY . .
CMD ["node", "index.js"]
