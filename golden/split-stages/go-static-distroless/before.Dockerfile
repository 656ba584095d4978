FROM golang:1.22-alpine
RUN apk add --no-cache git
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/server ./cmd/server
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/out/server"]
