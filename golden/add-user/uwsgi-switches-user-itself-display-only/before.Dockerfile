FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["uwsgi", "--http-socket", ":8000", "--wsgi-file", "wsgi.py", "--uid", "www-data", "--gid", "www-data"]
