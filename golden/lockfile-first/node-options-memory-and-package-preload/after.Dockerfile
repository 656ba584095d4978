FROM node:18
WORKDIR /app
ENV NODE_OPTIONS="--max-old-space-size=4096 -r dotenv/config"
ARG PIP_INDEX_URL
ARG NPM_TOKEN
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "index.js"]
