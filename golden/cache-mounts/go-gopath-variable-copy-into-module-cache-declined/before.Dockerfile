FROM golang:1.19
WORKDIR /src
COPY mods/ $GOPATH/pkg/mod/
COPY . .
RUN GOFLAGS=-mod=mod GOPROXY=off go build -o /app .
CMD ["/app"]
