FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
RUN mkdir -p certs && openssl req -x509 -newkey rsa:2048 -nodes -keyout certs/key.pem -out certs/cert.pem -days 365 -subj "/CN=localhost" 2>/dev/null
CMD ["python", "app.py"]
