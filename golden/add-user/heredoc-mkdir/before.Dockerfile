# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN <<SH
set -e
pip install -r requirements.txt
mkdir -p /var/cache/app
SH
CMD ["python", "main.py"]
