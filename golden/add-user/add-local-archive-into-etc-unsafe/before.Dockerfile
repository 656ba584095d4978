FROM python:3.11
WORKDIR /app
ADD conf.tar /etc/myapp/
COPY app.py .
CMD ["python3", "app.py"]
