ARG BASE=python:3.12-slim
FROM ${BASE}
WORKDIR /app
COPY . .
CMD ["python", "main.py"]
