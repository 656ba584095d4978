FROM golang:1.22-alpine AS builder
LABEL org.opencontainers.image.source="https://example.com/app"
ARG PORT=8080
ARG VERSION=dev
ENV APP_PORT=$PORT
EXPOSE $PORT
ENTRYPOINT ["/usr/local/bin/app"]
WORKDIR /src
COPY . .
RUN go build -ldflags "-X main.version=${VERSION}" -o /usr/local/bin/app .

FROM golang:1.22-alpine
LABEL org.opencontainers.image.source="https://example.com/app"
ARG PORT=8080
ENV APP_PORT=$PORT
EXPOSE $PORT
ENTRYPOINT ["/usr/local/bin/app"]
WORKDIR /src
COPY --from=builder /usr/local/bin/app /usr/local/bin/app
CMD ["serve"]
