# syntax=docker/dockerfile:1
FROM python:3.12-slim
COPY requirements.txt /tmp/
RUN --mount=type=cache,target=/root/.cache/pip pip install -r /tmp/requirements.txt && cd /root
