FROM python:3.11
WORKDIR /app
ENV PYTHONPATH=/app/lib
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
