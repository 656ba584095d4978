FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt ./
COPY wheels/ ./wheels/
RUN pip install --no-index --find-links=/app/wheels -r requirements.txt
COPY . .
CMD ["python", "app.py"]
