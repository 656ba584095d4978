FROM node:18 AS base
SHELL ["/bin/sh", "-ec"]
WORKDIR /app

FROM base
COPY package.json package-lock.json ./
COPY index.js ./
RUN npm ci; npm run check && rm -rf /root/.npm; npm run build
COPY . .
CMD ["node", "index.js"]
