# syntax=docker/dockerfile:1
FROM golang:1.19
WORKDIR /src
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go mod download
RUN useradd --create-home --uid 1001 app && chown -R app /src
USER app
COPY --chown=app . .
RUN --mount=type=cache,target=/go/pkg/mod,uid=1001 \
    --mount=type=cache,target=/home/app/.cache/go-build,uid=1001 \
    go build -o /tmp/hello .
CMD ["/tmp/hello"]
