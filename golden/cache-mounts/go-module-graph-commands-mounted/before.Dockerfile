FROM golang:1.19
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go mod tidy
RUN go list -m all > /modules.txt
RUN go mod verify
RUN go build -o /app .
CMD ["/app"]
