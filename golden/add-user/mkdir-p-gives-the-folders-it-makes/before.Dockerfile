FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN mkdir -p /app/var/cache/thumbs
EXPOSE 8000
CMD ["python", "app.py"]
