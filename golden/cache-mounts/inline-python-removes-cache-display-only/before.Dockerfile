FROM node:18
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

RUN npm ci && python3 -c "import shutil; shutil.rmtree('/root/.npm')"
COPY . .
CMD ["node", "index.js"]
