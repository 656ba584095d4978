FROM node:18
WORKDIR /app
COPY . .
CMD ["sh", "./start.sh"]
