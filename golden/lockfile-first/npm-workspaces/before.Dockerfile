FROM node:20
WORKDIR /repo
COPY . .
RUN npm ci
CMD ["npm", "start", "-w", "api"]
