FROM golang:1.19
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello .
RUN test -x /usr/local/bin/hello-typo
CMD ["hello"]
