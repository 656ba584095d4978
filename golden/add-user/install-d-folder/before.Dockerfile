FROM python:3.11
RUN install -d /var/lib/myapp
WORKDIR /app
COPY app.py .
CMD ["python", "app.py"]
