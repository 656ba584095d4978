FROM rust:1.82
WORKDIR /src
COPY . .
RUN cargo build --release && rm -rf $CARGO_HOME/registry
