FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN python build_manifest.py
CMD ["python", "app.py"]
