FROM python:3.11-slim
SHELL ["/bin/bash", "-c"]
WORKDIR /app
RUN mkdir -p /data/{logs,uploads}
COPY . .
CMD ["python", "app.py"]
