FROM node:20
WORKDIR /usr/src/app
COPY . .
CMD sh -c "echo $$ > /var/run/app.pid && exec node server.js"
