FROM debian:bookworm
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /src && chown app:app /src
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY --chown=app:app . .
RUN gcc -o server server.c
USER 10001:10001
CMD ["./server"]
