FROM python:3.11
RUN printf '[global]\ncache-dir = /var/cache/pip\n' > /etc/pip.conf
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
