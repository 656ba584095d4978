FROM node:18
WORKDIR /app
COPY . .
RUN npm ci \
    # the build needs dev dependencies
    && npm run build \
    # keep only what runs
    && npm prune --omit=dev
CMD ["node", "dist/main.js"]
