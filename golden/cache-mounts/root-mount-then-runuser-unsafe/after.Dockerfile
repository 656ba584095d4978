# syntax=docker/dockerfile:1
FROM rust:1.63
WORKDIR /opt/tool
COPY tool/ ./
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git/db \
    cargo build --release && cp target/release/hello /usr/local/bin/hello
RUN useradd --create-home --uid 1000 builder
COPY --chown=builder greet.git /deps/greet.git
COPY --chown=builder app/ /home/builder/app/
RUN runuser -u builder -- sh -c 'cd /home/builder/app && cargo build --release'
CMD ["/home/builder/app/target/release/app"]
