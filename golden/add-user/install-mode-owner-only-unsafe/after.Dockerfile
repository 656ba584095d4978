FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev
COPY --chown=node:node . .
RUN install -m 0600 deploy/app.env /etc/app.env
USER 1000:1000
CMD ["sh", "./start.sh"]
