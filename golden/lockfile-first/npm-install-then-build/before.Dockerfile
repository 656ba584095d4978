FROM node:18
WORKDIR /usr/src/app

# Bundle app source
COPY . .
RUN npm install && npm run build

CMD ["npm", "start"]
