FROM python:3.12-slim
WORKDIR /app
COPY . .
COPY data/ref.db /usr/share/myapp/ref.db
CMD ["python", "app.py"]
