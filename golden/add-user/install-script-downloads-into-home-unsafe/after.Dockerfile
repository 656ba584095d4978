FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node package.json package-lock.json fetch-browser.js ./
RUN npm ci --omit=dev
COPY --chown=node:node . .
USER 1000:1000
EXPOSE 3000
CMD ["node", "server.js"]
