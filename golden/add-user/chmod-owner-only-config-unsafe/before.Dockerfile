FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY settings.toml /etc/myapp/settings.toml
RUN chmod 600 /etc/myapp/settings.toml
COPY app.py .
CMD ["gunicorn", "--workers", "1", "--bind", "0.0.0.0:8000", "app:app"]
