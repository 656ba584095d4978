# syntax=docker/dockerfile:1
FROM rust:1.63 AS tools
WORKDIR /opt/tool
COPY tool/ ./
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git/db \
    cargo build --release && cp target/release/hello /usr/local/bin/hello

FROM tools AS app
RUN useradd --create-home --uid 1000 builder
COPY --chown=builder greet.git /deps/greet.git
USER builder
WORKDIR /home/builder/app
COPY --chown=builder app/ ./
RUN --mount=type=cache,target=/usr/local/cargo/registry,uid=1000 \
    --mount=type=cache,target=/usr/local/cargo/git/db,uid=1000 \
    cargo build --release
CMD ["/home/builder/app/target/release/app"]
