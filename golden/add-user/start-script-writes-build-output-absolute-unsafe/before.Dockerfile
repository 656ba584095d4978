FROM node:18
WORKDIR /usr/src/app
COPY . .
RUN npm run build
ENTRYPOINT ["/usr/src/app/entrypoint.sh"]
CMD ["node", "server.js"]
