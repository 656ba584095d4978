FROM python:3.11-slim
COPY pip.conf /etc/pip.conf
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "-m", "http.server"]
