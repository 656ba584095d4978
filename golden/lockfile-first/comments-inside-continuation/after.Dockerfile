FROM node:18
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# the build needs dev dependencies
RUN npm run build \
    # keep only what runs
    && npm prune --omit=dev
CMD ["node", "dist/main.js"]
