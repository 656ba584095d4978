FROM node:18
WORKDIR /app
COPY . .
RUN perl -e 'open(F, ">state.txt"); print F "0\n"'
CMD ["node", "server.js"]
