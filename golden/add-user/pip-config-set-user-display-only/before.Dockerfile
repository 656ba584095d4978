FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt ./
RUN pip config set global.user true && pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
