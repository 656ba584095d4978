FROM python:3.11-slim
COPY .env /app/.env
COPY app/ /app/
CMD ["python", "/app/main.py"]
