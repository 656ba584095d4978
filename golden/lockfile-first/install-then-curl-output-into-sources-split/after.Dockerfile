FROM node:18
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
RUN curl -fsSL -o public/vendor/ms.tgz https://registry.npmjs.org/ms/-/ms-2.1.3.tgz
CMD ["node", "server.js"]
