FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN python -m scripts.initdb
CMD ["python", "app.py"]
