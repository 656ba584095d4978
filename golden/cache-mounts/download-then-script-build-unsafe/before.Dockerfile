FROM golang:1.19
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN sh build.sh
CMD ["/hello"]
