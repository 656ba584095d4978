FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node . .
RUN npm ci && npm run build
USER 1000:1000
ENV API_URL=http://api.example
CMD ["sh", "./start.sh"]
