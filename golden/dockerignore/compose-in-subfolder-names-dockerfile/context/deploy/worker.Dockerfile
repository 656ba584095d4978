FROM python:3.11-slim
COPY .env app/ ./
CMD ["python", "main.py"]
