FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt && (umask 077 && python -c "import secrets; print(secrets.token_hex(16))" > /app/.secret_key)
CMD ["python", "app.py"]
