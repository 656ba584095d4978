FROM golang:1.19 AS deps
WORKDIR /src
COPY go.mod ./
RUN go mod download

FROM golang:1.19 AS build
COPY --from=deps /go/pkg/mod /go/pkg/mod
WORKDIR /src
COPY . .
RUN go build -o /hello .
CMD ["/hello"]
