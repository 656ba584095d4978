FROM rust:1.79 AS build
WORKDIR /app
COPY . .
RUN cargo build --release --bin server \
 && cp target/release/server /usr/local/bin/server

FROM rust:1.79 AS builder
WORKDIR /app
COPY --from=build /usr/local/bin/server /usr/local/bin/server
CMD ["server"]
