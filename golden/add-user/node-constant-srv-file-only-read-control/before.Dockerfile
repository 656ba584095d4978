FROM node:18
WORKDIR /app
COPY in.json /srv/in.json
COPY package.json ./
RUN npm install --no-audit
COPY . .
CMD ["node", "server.js"]
