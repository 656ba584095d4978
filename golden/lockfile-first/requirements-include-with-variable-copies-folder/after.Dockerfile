FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt ./
COPY requirements/ ./requirements/
RUN APP_ENV=prod pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
