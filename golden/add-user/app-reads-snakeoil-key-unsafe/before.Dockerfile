FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends ssl-cert && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
CMD ["python", "tls.py"]
