FROM golang:1.19
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
RUN cat /go/pkg/mod/example.com/greet@v1.0.0/go.mod
COPY . .
RUN go build -o /app .
CMD ["/app"]
