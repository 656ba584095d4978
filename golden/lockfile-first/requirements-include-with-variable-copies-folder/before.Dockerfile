FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN APP_ENV=prod pip install -r requirements.txt
CMD ["python", "app.py"]
