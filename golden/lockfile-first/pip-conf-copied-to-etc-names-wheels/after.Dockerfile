FROM python:3.12-slim
COPY pip.conf /etc/pip.conf
WORKDIR /app
COPY requirements.txt ./
COPY wheels/ ./wheels/
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
