FROM rust:1.63
WORKDIR /src
COPY . .
RUN cargo fetch
RUN mkdir -p .cargo && cargo vendor > .cargo/config.toml
RUN cargo check
RUN cargo doc --no-deps
RUN cargo metadata --format-version 1 > /metadata.json
RUN cargo tree > /tree.txt
RUN cargo build --release --offline
CMD ["/src/target/release/app"]
