FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt && chown -R root:root /app && chmod -R go-w /app
CMD ["python", "app.py"]
