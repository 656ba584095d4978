FROM node:18
RUN mkdir -p /app && chown node:node /app
WORKDIR /app
RUN npx --yes http-server@14.1.1 --help > /dev/null
COPY --chown=node:node dist/ ./dist/
USER 1000:1000
EXPOSE 8080
CMD ["npx", "--yes", "http-server@14.1.1", "dist", "-p", "8080"]
