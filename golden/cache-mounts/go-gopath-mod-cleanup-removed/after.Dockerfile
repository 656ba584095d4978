# syntax=docker/dockerfile:1
FROM golang:1.19
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -o /usr/local/bin/hi .
CMD ["hi"]
