FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN xargs -a scripts/list.txt -n1 sh
CMD ["node", "index.js"]
