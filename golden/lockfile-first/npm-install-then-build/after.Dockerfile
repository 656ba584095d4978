FROM node:18
WORKDIR /usr/src/app

COPY package.json package-lock.json ./
RUN npm install
# Bundle app source
COPY . .
RUN npm run build

CMD ["npm", "start"]
