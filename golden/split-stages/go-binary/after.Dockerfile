FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello .

FROM golang:1.22
WORKDIR /src
COPY --from=builder /usr/local/bin/hello /usr/local/bin/hello
EXPOSE 8080
CMD ["hello"]
