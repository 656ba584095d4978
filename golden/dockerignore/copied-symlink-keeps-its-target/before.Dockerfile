FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt app.py ./
COPY docker/app.env /app/app.env
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
