FROM golang:1.22
COPY . /src
WORKDIR /src/services/api
RUN go build -o /usr/local/bin/api .
CMD ["api"]
