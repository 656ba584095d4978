FROM node:18
WORKDIR /app
RUN npx --yes http-server@14.1.1 --help > /dev/null
COPY dist/ ./dist/
EXPOSE 8080
CMD ["npx", "--yes", "http-server@14.1.1", "dist", "-p", "8080"]
