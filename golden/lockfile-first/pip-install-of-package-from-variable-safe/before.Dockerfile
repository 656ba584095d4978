FROM python:3.11
ENV SERVER=gunicorn==22.0.0
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt $SERVER
CMD ["python", "app.py"]
