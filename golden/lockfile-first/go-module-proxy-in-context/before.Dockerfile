FROM golang:1.19
ARG GOPROXY=file:///src/proxy
ENV GOSUMDB=off GOFLAGS=-mod=mod
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello .
CMD ["hello"]
