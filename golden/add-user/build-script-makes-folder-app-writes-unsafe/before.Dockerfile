FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN python scripts/bootstrap.py
CMD ["python", "app.py"]
