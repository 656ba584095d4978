FROM golang:1.22-bookworm AS builder
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libsqlite3-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o app .

FROM golang:1.22-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY --from=builder /src/app ./app
CMD ./app --db /data/app.db
