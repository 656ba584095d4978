FROM python:3.11
WORKDIR /app
COPY . .
RUN python3 -m zipfile -e data.zip /app/data
CMD ["python3", "app.py"]
