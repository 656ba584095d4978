FROM python:3.12-slim
ENV WHEELS=/app/wheels
WORKDIR /app
COPY requirements.txt ./
COPY wheels/ ./wheels/
RUN pip install --find-links $WHEELS -r requirements.txt
COPY . .
CMD ["python", "app.py"]
