FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN echo "pip would cache in /root/.cache/pip" && pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]
