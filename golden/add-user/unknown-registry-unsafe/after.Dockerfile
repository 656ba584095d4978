FROM registry.example.com/platform/python:3.12
WORKDIR /app
COPY --chown=10001:10001 . .
USER 10001:10001
CMD ["python", "main.py"]
