FROM node:18
ENV BASH_ENV=/etc/strict.sh
RUN echo "set -e" > /etc/strict.sh
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY . .
RUN npm ci; npm run check && rm -rf /root/.npm; npm run build
CMD ["node", "index.js"]
