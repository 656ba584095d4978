FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
RUN mkdir -p /usr/share/app/public && cp -r public/. /usr/share/app/public/
EXPOSE 3000
CMD ["npm", "start"]
