FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev
COPY --chown=node:node . .
RUN mkdir -p /usr/share/app/public && cp -r public/. /usr/share/app/public/
USER 1000:1000
EXPOSE 3000
CMD ["npm", "start"]
