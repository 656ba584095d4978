FROM python:3.12-slim
WORKDIR /app
COPY . .
ENV PYTHONPATH=/app/lib
RUN pip install --no-cache-dir -r requirements.txt
CMD ["sh", "-c", "python -m compileall -q && exec python app.py"]
