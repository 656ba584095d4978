FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["sh", "-c", "sysctl -w net.core.somaxconn=1024 || true; chmod +x /app/run.sh; exec python app.py"]
