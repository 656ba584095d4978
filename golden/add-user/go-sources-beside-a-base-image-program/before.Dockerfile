FROM debian:bookworm-slim
WORKDIR /app
COPY README.md /app/README.md
CMD ["sleep", "infinity"]
