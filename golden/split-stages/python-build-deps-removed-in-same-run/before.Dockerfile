FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libpq-dev \
 && pip install --no-cache-dir -r requirements.txt \
 && apt-get purge -y gcc libpq-dev \
 && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
COPY . .
CMD ["python", "app.py"]
