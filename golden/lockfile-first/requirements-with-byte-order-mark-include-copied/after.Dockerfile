FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt requirements-base.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
