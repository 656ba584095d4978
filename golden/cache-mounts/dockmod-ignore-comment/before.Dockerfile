FROM node:18
# dockmod: ignore[cache-mounts]
RUN npm ci
RUN npm install -g pm2
