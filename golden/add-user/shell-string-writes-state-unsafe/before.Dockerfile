FROM node:18
WORKDIR /app
COPY . .
RUN sh -c 'echo 0 > state.txt'
CMD ["node", "server.js"]
