FROM node:18
ARG SHELLOPTS
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY . .
RUN npm ci; npm run check && rm -rf /root/.npm; npm run build
CMD ["node", "index.js"]
