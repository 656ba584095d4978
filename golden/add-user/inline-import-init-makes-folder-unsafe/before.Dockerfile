FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN python -c "import store; store.init()"
CMD ["python", "app.py"]
