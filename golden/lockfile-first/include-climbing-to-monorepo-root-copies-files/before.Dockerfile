FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r services/api/requirements.txt
CMD ["python", "services/api/main.py"]
