FROM node:18
WORKDIR /app
COPY . .
RUN npm ci
ENV NODE_ENV=production
RUN npm run build
CMD ["node", "dist/server.js"]
