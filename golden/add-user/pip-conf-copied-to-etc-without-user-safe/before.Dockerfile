FROM python:3.12-slim
COPY pip.conf /etc/pip.conf
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
