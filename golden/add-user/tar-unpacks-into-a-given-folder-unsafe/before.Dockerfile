FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt && mkdir -p /opt/vendor && tar -xf vendor/licence.tar -C /opt/vendor
CMD ["python", "app.py"]
