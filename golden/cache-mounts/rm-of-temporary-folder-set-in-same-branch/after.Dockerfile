# syntax=docker/dockerfile:1
FROM node:20
ARG TOOLS_KEY
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci \
    && if [ -n "$TOOLS_KEY" ]; then \
        export GNUPGHOME="$(mktemp -d)" \
        && echo "$TOOLS_KEY" > "$GNUPGHOME/key" \
        && rm -rf "$GNUPGHOME"; \
    fi
COPY . .
CMD ["node", "server.js"]
