FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello .

FROM golang:1.22
WORKDIR /src
COPY --from=builder /usr/local/bin/hello /usr/local/bin/hello
COPY --from=builder /src/config.yml ./config.yml
ENV HELLO_CONFIG=/src/config.yml
EXPOSE 8080
CMD ["hello"]
