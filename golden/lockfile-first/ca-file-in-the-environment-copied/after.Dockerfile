FROM python:3.12-slim
ENV SSL_CERT_FILE=/app/certs/corp-ca.pem
WORKDIR /app
COPY certs/corp-ca.pem ./certs/
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
