FROM python:3.11 AS keys
RUN useradd --create-home signer && mkdir /keys && chown signer /keys
USER signer
RUN openssl genpkey -algorithm ed25519 -out /keys/signing.pem
FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --from=keys /keys /etc/app/keys
COPY . .
CMD ["python", "app.py"]
