FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app /app/certs && chown app:app /app /app/certs
WORKDIR /app
COPY --chown=app:app . .
RUN pip install -r requirements.txt
RUN mkdir -p certs && openssl req -x509 -newkey rsa:2048 -nodes -keyout certs/key.pem -out certs/cert.pem -days 365 -subj "/CN=localhost" 2>/dev/null
USER 10001:10001
CMD ["python", "app.py"]
