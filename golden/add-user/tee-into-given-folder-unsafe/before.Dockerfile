FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN echo 0 | tee /app/counter.txt
CMD ["python", "app.py"]
