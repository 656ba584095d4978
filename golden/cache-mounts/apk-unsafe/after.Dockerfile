# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk,sharing=locked \
    apk add --update-cache curl ca-certificates
