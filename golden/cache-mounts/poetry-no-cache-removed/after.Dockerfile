# syntax=docker/dockerfile:1
FROM python:3.12
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN --mount=type=cache,target=/root/.cache/pypoetry/artifacts \
    --mount=type=cache,target=/root/.cache/pypoetry/cache \
    poetry install --no-root
