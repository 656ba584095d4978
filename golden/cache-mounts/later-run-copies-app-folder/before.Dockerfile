FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
RUN cp -r . /srv/app && ls -R /srv > /app/listing.txt
COPY . .
CMD ["node", "server.js"]
