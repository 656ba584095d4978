FROM rust:1.63
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /usr/src/app && chown app:app /usr/src/app
WORKDIR /usr/src/app
COPY --chown=app:app . .
RUN cargo build --release
USER 10001:10001
CMD ["./target/release/server"]
