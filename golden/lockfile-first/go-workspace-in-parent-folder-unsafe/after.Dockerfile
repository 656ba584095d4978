FROM golang:1.22
COPY services/api/go.mod /src/services/api/
WORKDIR /src/services/api
RUN go mod download
COPY . /src
RUN go build -o /usr/local/bin/api .
CMD ["api"]
