FROM node:18
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci; npm run lint | tee /tmp/lint.log; rm -rf /root/.npm; echo "status ${PIPESTATUS[0]}" > /app/status.txt
COPY . .
CMD ["node", "index.js"]
