FROM rust:1.79-bookworm AS builder
WORKDIR /usr/src/hello
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /srv && chown app:app /srv
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
COPY --from=builder --chown=app:app /usr/src/hello/target/release/hello ./hello
USER 10001:10001
CMD ["./hello"]
