FROM node:20
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node package*.json ./
RUN npm ci
COPY --chown=node:node . .
RUN npm run build
USER 1000:1000
CMD ["npx", "next", "start", "-p", "3000"]
