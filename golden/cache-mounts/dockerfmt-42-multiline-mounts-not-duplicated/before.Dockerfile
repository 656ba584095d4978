# syntax=docker/dockerfile:1
FROM python:3.12
WORKDIR /app
RUN --mount=type=bind,source=requirements.txt,target=requirements.txt \
    --mount=type=secret,id=pip,target=/etc/pip.conf \
    pip install -r requirements.txt
