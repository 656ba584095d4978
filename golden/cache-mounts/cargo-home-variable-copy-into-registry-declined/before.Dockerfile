FROM rust:1.63
WORKDIR /src
COPY registry/ ${CARGO_HOME}/registry/
COPY . .
RUN cargo build --release --offline
CMD ["/src/target/release/app"]
