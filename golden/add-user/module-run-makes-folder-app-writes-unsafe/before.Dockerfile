FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN python -m tools.bootstrap
CMD ["python", "app.py"]
