FROM rust:1.79-slim-bookworm
RUN <<EOF
set -e
useradd --create-home app
mkdir -p /data
EOF
WORKDIR /src
CMD ["/usr/local/bin/tool"]
COPY . .
RUN cargo build --release --bin tool && install -m 0755 target/release/tool /usr/local/bin/tool