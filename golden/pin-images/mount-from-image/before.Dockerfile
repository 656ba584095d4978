# syntax=docker/dockerfile:1
FROM node:18
RUN --mount=type=bind,from=alpine:3.19,target=/a ls /a
