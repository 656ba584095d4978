FROM rust:1.63 AS build
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --from=build /usr/src/app/target/release/server /usr/local/bin/server
USER 10001:10001
CMD ["server"]
