FROM rust:1.79 AS builder
WORKDIR /app
COPY . .
RUN cargo build --release --bin server \
 && cp target/release/server /usr/local/bin/server
CMD ["server"]
