FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN python gen_secret.py
CMD ["python", "app.py"]
