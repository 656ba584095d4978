FROM python:3.11
WORKDIR /app
COPY . .
ENV PYTHONPATH=/app/lib
CMD ["python3", "app.py"]
