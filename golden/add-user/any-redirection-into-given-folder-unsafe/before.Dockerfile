FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN echo '[]' > /app/queue.json
CMD ["python", "app.py"]
