# dockmod: ignore-file
FROM node:18
RUN npm ci
