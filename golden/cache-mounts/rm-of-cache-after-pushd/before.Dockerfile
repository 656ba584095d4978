FROM node:18
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && pushd /root && rm -rf .npm && popd
COPY . .
CMD ["node", "index.js"]
