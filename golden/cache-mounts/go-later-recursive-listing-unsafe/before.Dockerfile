FROM golang:1.19
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
RUN ls -R /go | grep greet
COPY . .
RUN go build -o /app .
CMD ["/app"]
