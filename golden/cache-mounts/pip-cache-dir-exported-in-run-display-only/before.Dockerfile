FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN export PIP_CACHE_DIR=/var/cache/pip && pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
