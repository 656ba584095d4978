FROM rust:1.79 AS builder
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release

FROM rust:1.79
WORKDIR /usr/src/app
COPY --from=builder /usr/src/app/target/release/webapp ./target/release/webapp
EXPOSE 8000
CMD ["./target/release/webapp"]
