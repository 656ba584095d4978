FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
ARG CLEAN
RUN npm ci && $CLEAN
COPY . .
CMD ["node", "index.js"]
