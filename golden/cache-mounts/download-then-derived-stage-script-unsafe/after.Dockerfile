# syntax=docker/dockerfile:1
FROM golang:1.19 AS deps
ARG GOPROXY=file:///src/proxy
ENV GOSUMDB=off GOFLAGS=-mod=mod
WORKDIR /src
COPY go.mod ./
COPY proxy ./proxy
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go mod download

FROM deps AS build
COPY . .
RUN sh build.sh
CMD ["hello"]
