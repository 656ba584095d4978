FROM golang:1.19 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM debian:bookworm-slim
WORKDIR /app
COPY --from=build /out/server /usr/local/bin/server
CMD ["server"]
