FROM golang:1.21
WORKDIR /go/src/app
COPY go.mod go.sum /go/src/app/
RUN go mod download
ADD . /go/src/app
RUN go build -o /usr/local/bin/app .
CMD ["app"]
