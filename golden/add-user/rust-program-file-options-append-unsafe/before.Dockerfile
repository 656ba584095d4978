FROM rust:1.63 AS build
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
WORKDIR /app
COPY --from=build /usr/src/app/target/release/server /usr/local/bin/server
CMD ["server"]
