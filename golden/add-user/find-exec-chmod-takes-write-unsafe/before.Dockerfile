FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt && find /app -type d -exec chmod 555 {} +
CMD ["python", "app.py"]
