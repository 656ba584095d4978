FROM golang:1.19
WORKDIR /src
COPY go.mod ./
RUN go mod download
RUN useradd --create-home --uid 1001 app && chown -R app /src
USER app
COPY --chown=app . .
RUN go build -o /tmp/hello .
CMD ["/tmp/hello"]
