FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello .
ENV HELLO_CONFIG=/src/config.yml
EXPOSE 8080
CMD ["hello"]
