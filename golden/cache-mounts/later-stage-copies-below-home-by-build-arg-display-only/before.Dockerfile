FROM node:18 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM node:18
ARG SUB
COPY --from=deps /root/${SUB} /opt/npm-cache/
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
CMD ["node", "index.js"]
