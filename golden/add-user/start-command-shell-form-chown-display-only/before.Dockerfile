FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD mkdir -p /app/storage && chown -R www-data /app/storage && exec python app.py
