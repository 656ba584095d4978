# syntax=docker/dockerfile:1
FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
RUN cp -r . /srv/app && ls -R /srv > /app/listing.txt
COPY . .
CMD ["node", "server.js"]
