FROM node:20
WORKDIR /app
COPY dist/ ./dist/
CMD ["node", "dist/main.js"]
