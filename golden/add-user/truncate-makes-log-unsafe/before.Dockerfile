FROM python:3.11
WORKDIR /app
COPY . .
RUN truncate -s 0 /app/app.log
CMD ["python3", "app.py"]
