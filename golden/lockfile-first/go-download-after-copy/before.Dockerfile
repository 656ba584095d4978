FROM golang:1.21
WORKDIR /go/src/app
ADD . /go/src/app
RUN go mod download
RUN go build -o /usr/local/bin/app .
CMD ["app"]
