FROM python:3.11-slim
WORKDIR /app
ENV GUNICORN_CMD_ARGS="--bind=0.0.0.0:80 --workers 2" CACHE_SERVER=localhost:11
COPY . .
CMD ["gunicorn", "wsgi:app"]
