FROM golang:1.19
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
WORKDIR /go/pkg/mod
RUN ls example.com
WORKDIR /src
COPY . .
RUN go build -o /app .
CMD ["/app"]
