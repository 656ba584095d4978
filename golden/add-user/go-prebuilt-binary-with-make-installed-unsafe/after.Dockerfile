FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
RUN apt-get update && apt-get install -y make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY bin/server /usr/local/bin/server
USER 10001:10001
CMD ["server"]
