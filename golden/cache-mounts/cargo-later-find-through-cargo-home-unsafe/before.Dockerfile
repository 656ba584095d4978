FROM rust:1.63
WORKDIR /src
COPY . .
RUN cargo build --release
RUN find $CARGO_HOME/registry/src -name lib.rs | grep greet
CMD ["/src/target/release/app"]
