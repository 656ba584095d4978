FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt ./
COPY requirements/base.txt ./requirements/
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
