FROM golang:1.21 AS builder
WORKDIR /go/src/app
COPY . .
ENV CGO_ENABLED=0
RUN go install ./cmd/web

FROM scratch
WORKDIR /go/src/app
ENV CGO_ENABLED=0
COPY --from=builder /go/bin/web /usr/local/bin/web
COPY --from=builder /go/src/app/templates ./templates
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
EXPOSE 8080
ENTRYPOINT ["web", "-templates", "templates"]
