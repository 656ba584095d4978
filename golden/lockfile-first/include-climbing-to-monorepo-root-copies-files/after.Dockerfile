FROM python:3.11
WORKDIR /app
COPY services/api/requirements.txt ./services/api/
COPY common/requirements.txt ./common/
RUN pip install --no-cache-dir -r services/api/requirements.txt
COPY . .
CMD ["python", "services/api/main.py"]
