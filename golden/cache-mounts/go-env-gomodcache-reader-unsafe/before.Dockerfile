FROM golang:1.19
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
RUN ls "$(go env GOMODCACHE)"/example.com
COPY . .
RUN go build -o /app .
CMD ["/app"]
