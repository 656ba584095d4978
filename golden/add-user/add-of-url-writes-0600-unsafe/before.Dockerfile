FROM python:3.12-slim
ADD https://example.com/assets/ms-2.1.3.tgz /usr/share/myapp/ms.tgz
WORKDIR /app
COPY . .
CMD ["python", "app.py"]
