FROM node:18
RUN npm install -g serve@14.2.4
WORKDIR /srv
COPY build ./build
CMD ["serve", "-s", "build", "-l", "80"]
