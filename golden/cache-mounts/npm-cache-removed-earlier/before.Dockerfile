FROM node:18
RUN rm -rf /root/.npm /tmp/npm-*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
