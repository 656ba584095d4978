FROM python:3.11
WORKDIR /app
COPY . .
RUN mkdir -pm 755 /app/var/cache
CMD ["python", "app.py"]
