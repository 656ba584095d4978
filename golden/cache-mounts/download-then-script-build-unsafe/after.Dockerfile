# syntax=docker/dockerfile:1
FROM golang:1.19
WORKDIR /src
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go mod download
COPY . .
RUN sh build.sh
CMD ["/hello"]
