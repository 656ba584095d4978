FROM python:3.11-slim
WORKDIR /app
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "-p", "/run/gunicorn.pid", "app:app"]
