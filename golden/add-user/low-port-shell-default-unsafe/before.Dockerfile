FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD gunicorn --workers 1 --bind 0.0.0.0:${PORT:-80} app:app
