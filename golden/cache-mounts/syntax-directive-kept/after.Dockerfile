# syntax=docker/dockerfile:1.7
FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/pip pip install flask
