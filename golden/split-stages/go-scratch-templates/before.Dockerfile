FROM golang:1.21
WORKDIR /go/src/app
COPY . .
ENV CGO_ENABLED=0
RUN go install ./cmd/web
EXPOSE 8080
ENTRYPOINT ["web", "-templates", "templates"]
