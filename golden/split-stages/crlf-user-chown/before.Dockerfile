FROM golang:1.22-bookworm
RUN useradd --create-home --uid 1001 app
WORKDIR /home/app/src
COPY --chown=app:app . .
USER app
# the binary is written by the app user
RUN go build -o server .
EXPOSE 8080
CMD ["./server"]
