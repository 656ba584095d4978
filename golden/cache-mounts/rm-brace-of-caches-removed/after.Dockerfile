# syntax=docker/dockerfile:1
FROM python:3.12-slim
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
