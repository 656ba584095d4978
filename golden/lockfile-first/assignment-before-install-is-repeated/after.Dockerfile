FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt ./
RUN OUT=/app/static/dist \
 && pip install -r requirements.txt
COPY . .
RUN OUT=/app/static/dist && python build.py "$OUT"
CMD ["python", "app.py"]
