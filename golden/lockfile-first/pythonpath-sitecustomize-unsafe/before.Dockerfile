FROM python:3.11
WORKDIR /app
ENV PYTHONPATH=/app/lib
COPY . .
RUN pip install -r requirements.txt
CMD ["python3", "app.py"]
