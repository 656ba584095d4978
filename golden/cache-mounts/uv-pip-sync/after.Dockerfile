# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN --mount=type=cache,target=/root/.cache/pip pip install uv==0.4.30
COPY requirements.txt /app/requirements.txt
RUN --mount=type=cache,target=/root/.cache/uv uv pip sync --system /app/requirements.txt
COPY . /app
CMD ["python", "/app/main.py"]
