FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
RUN install -m 0600 deploy/app.env /etc/app.env
CMD ["sh", "./start.sh"]
