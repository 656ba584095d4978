FROM rust:1.63
WORKDIR /src
COPY . .
RUN cargo generate-lockfile && cargo update
RUN cargo build --release --locked
CMD ["/src/target/release/app"]
