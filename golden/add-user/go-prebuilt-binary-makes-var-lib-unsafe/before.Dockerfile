FROM debian:bookworm-slim
WORKDIR /app
COPY bin/server /usr/local/bin/server
CMD ["server"]
