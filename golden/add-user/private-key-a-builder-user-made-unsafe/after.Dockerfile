FROM python:3.11 AS keys
RUN useradd --create-home signer && mkdir /keys && chown signer /keys
USER signer
RUN openssl genpkey -algorithm ed25519 -out /keys/signing.pem
FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app requirements.txt .
RUN pip install -r requirements.txt
COPY --from=keys /keys /etc/app/keys
COPY --chown=app:app . .
USER 10001:10001
CMD ["python", "app.py"]
