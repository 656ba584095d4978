# syntax=docker/dockerfile:1
FROM python:3.11
ENV HOME=/app
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/app/.cache/pip pip install -r requirements.txt
COPY . .
EXPOSE 8000
CMD ["python", "app.py"]
