FROM golang:1.19
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go mod vendor
RUN go build -mod=vendor -o /app .
CMD ["/app"]
