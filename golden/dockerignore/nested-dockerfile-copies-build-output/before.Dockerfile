FROM node:18
WORKDIR /app
COPY package.json ./
COPY src ./src
RUN npm run build
CMD ["cat", "dist/index.html"]
