FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
ENV DATA_DIR=/var/lib/notes
CMD ["gunicorn", "--workers", "1", "--bind", "0.0.0.0:8000", "app:app"]
