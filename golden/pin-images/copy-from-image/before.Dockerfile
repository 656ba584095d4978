FROM node:18-slim
COPY --from=alpine:3.19 /etc/alpine-release /tmp/
