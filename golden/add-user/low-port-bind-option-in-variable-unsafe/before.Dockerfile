FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
ENV GUNICORN_CMD_ARGS="--bind 0.0.0.0:80 --workers 1"
CMD ["gunicorn", "app:app"]
