# syntax=docker/dockerfile:1
FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt
