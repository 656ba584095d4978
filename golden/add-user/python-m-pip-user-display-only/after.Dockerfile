FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN python -m pip install --user -r requirements.txt
COPY . .
CMD ["python", "app.py"]
