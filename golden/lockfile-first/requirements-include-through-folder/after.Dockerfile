FROM python:3.11
WORKDIR /app
COPY requirements.txt base.txt ./
COPY sub/ ./sub/
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
