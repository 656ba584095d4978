FROM golang:1.19 AS deps
ARG GOPROXY=file:///src/proxy
ENV GOSUMDB=off GOFLAGS=-mod=mod
WORKDIR /src
COPY go.mod ./
COPY proxy ./proxy
RUN go mod download

FROM deps AS build
COPY . .
RUN sh build.sh
CMD ["hello"]
