FROM node:18
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY package*.json ./
RUN npm ci && xargs rm -rf <<< /root/.npm
COPY . .
CMD ["node", "index.js"]
