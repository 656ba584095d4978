FROM rust:1.79-bookworm AS builder
WORKDIR /usr/src/hello
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
COPY --from=builder /usr/src/hello/target/release/hello ./hello
CMD ["./hello"]
