FROM golang:1.22 AS build
ARG GOPATH=/gopath
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /app .

FROM debian:bookworm-slim
COPY --from=build /app /app
CMD ["/app"]
