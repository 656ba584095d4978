FROM golang:1.19
ARG GOPROXY=file:///src/proxy
ENV GOSUMDB=off GOFLAGS=-mod=mod
WORKDIR /src
COPY go.mod ./
COPY proxy/ ./proxy/
RUN go mod download
COPY . .
RUN go build -o /usr/local/bin/hello .
CMD ["hello"]
