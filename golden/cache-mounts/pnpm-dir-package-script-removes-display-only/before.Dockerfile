FROM node:18
RUN --mount=type=cache,target=/root/.npm npm i -g pnpm@8.15.9
WORKDIR /app
COPY package.json package-lock.json ./
COPY tools ./tools
RUN npm ci && pnpm -C tools run clean
COPY . .
CMD ["node", "index.js"]
