FROM alpine
ONBUILD COPY . /app
ONBUILD RUN make
HEALTHCHECK NONE
HEALTHCHECK --interval=30s --start-interval=5s CMD ["wget", "-q", "localhost"]
