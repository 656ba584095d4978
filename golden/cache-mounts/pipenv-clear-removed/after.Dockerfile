# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN --mount=type=cache,target=/root/.cache/pip pip install pipenv==2024.4.0
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN --mount=type=cache,target=/root/.cache/pipenv \
    --mount=type=cache,target=/root/.cache/pip \
    pipenv install --system --deploy
