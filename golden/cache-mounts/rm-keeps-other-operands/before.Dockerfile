FROM node:18
WORKDIR /usr/src/app
COPY package.json package-lock.json .npmrc ./
RUN npm ci && rm -rf /root/.npm .npmrc
COPY src ./src
RUN npm run build && rm -rf ~/.npm /tmp/* src
CMD ["node", "dist/app.js"]
