FROM node:20-bookworm-slim
RUN mkdir -p /app && chown node:node /app
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
 && curl -fsSL https://example.com/tool-1.2.tar.gz | tar -xz -C /usr/local/lib \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --chown=node:node . .
RUN npm ci --omit=dev
USER 1000:1000
CMD ["node", "server.js"]
