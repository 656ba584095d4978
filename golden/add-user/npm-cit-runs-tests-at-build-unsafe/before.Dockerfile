FROM node:18
WORKDIR /app
COPY . .
RUN npm cit
CMD ["node", "index.js"]
