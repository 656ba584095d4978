FROM golang:1.19
WORKDIR /src
COPY mods.tar /tmp/
RUN mkdir -p $GOPATH/pkg/mod && tar -xf /tmp/mods.tar -C $GOPATH/pkg/mod
COPY . .
RUN GOFLAGS=-mod=mod GOPROXY=off go build -o /app .
CMD ["/app"]
