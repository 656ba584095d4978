FROM python:3.11
ENV SERVER=gunicorn==22.0.0
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt $SERVER
COPY . .
CMD ["python", "app.py"]
