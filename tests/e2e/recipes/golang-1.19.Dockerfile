# golang:1.19 for the end-to-end suite: Debian's Go 1.19 with gcc (cgo is on by default, as in the official
# image), GOPATH=/go with /go/bin on PATH, the module cache in /go/pkg/mod, WORKDIR /go.
# proxy.golang.org is not reachable from the test machines: test modules use the standard library only.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates golang-go gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
ENV GOPATH=/go \
    PATH=/go/bin:/usr/lib/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /go/src /go/bin \
 && chmod -R 1777 /go
WORKDIR /go
