# rust:1.63 for the end-to-end suite: Debian's Rust 1.63 and Cargo with gcc, laid out like the official image
# (CARGO_HOME=/usr/local/cargo with its bin on PATH, where Cargo keeps its registry and git caches).
# crates.io is not reachable from the test machines: test crates have no dependencies.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates rustc cargo gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
ENV CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /usr/local/cargo/bin \
 && chmod -R a+w /usr/local/cargo
