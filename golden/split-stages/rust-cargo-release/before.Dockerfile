FROM rust:1.79
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release
EXPOSE 8000
CMD ["./target/release/webapp"]
