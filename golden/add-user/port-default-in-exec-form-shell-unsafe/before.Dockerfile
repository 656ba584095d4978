FROM python:3.12-slim
WORKDIR /app
COPY . .
CMD ["sh", "-c", "exec python serve.py --port ${PORT:-93}"]
