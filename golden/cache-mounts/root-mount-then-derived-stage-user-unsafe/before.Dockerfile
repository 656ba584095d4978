FROM rust:1.63 AS tools
WORKDIR /opt/tool
COPY tool/ ./
RUN cargo build --release && cp target/release/hello /usr/local/bin/hello

FROM tools AS app
RUN useradd --create-home --uid 1000 builder
COPY --chown=builder greet.git /deps/greet.git
USER builder
WORKDIR /home/builder/app
COPY --chown=builder app/ ./
RUN cargo build --release
CMD ["/home/builder/app/target/release/app"]
