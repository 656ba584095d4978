FROM golang:1.19
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
RUN ls $GOPATH/pkg/mod/example.com
COPY . .
RUN go build -o /app .
CMD ["/app"]
