FROM rust:1.63
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release
CMD ["./target/release/server"]
