FROM rust:1.63
WORKDIR /src
COPY . .
RUN cargo fetch
RUN ls /usr/local/cargo/registry/index
RUN cargo build --release --offline
CMD ["/src/target/release/app"]
