FROM node:18
WORKDIR /app
COPY . .
RUN npm ci && npm run build
ENV API_URL=http://api.example
CMD ["sh", "./start.sh"]
