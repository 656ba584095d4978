FROM python:3.11
WORKDIR /app
COPY requirements.txt base.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
