FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["uwsgi", "--http", ":8000", "--wsgi-file", "app.py", "--callable", "app"]
