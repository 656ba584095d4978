FROM rust:1.75
WORKDIR /app
COPY . .
CMD ["cargo", "run", "--release"]
