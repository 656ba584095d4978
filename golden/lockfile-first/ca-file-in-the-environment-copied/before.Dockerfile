FROM python:3.12-slim
ENV SSL_CERT_FILE=/app/certs/corp-ca.pem
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
