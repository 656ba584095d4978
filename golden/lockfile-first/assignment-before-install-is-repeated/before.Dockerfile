FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN OUT=/app/static/dist \
 && pip install -r requirements.txt \
 && python build.py "$OUT"
CMD ["python", "app.py"]
