# syntax=docker/dockerfile:1
FROM node:18
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci; npm run lint | tee /tmp/lint.log; echo "status ${PIPESTATUS[0]}" > /app/status.txt
COPY . .
CMD ["node", "index.js"]
