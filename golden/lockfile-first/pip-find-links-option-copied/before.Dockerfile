FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-index --find-links=/app/wheels -r requirements.txt
CMD ["python", "app.py"]
