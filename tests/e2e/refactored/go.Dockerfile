FROM golang:1.19 AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /out/hello .

FROM debian:bookworm-slim
WORKDIR /src
COPY --from=build /out/hello /usr/local/bin/hello
USER 10001:10001
CMD ["hello"]
