# syntax=docker/dockerfile:1
FROM golang:1.19
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
RUN ls $GOPATH/pkg/mod/example.com
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -o /app .
CMD ["/app"]
