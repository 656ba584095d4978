# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements.txt && mkdir -p /root/.config/pip && rm -rf /root/.config
COPY . .
CMD ["python", "app.py"]
