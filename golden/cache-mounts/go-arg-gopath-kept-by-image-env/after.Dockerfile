# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
ARG GOPATH=/gopath
WORKDIR /src
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -o /app .

FROM debian:bookworm-slim
COPY --from=build /app /app
CMD ["/app"]
