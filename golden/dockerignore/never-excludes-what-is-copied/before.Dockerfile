FROM node:20
COPY .env /app/.env
COPY node_modules /app/node_modules
CMD ["node"]
