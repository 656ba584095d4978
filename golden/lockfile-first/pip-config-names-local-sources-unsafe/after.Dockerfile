FROM python:3.11-slim
WORKDIR /app
ENV PIP_CONFIG_FILE=/app/pip.conf
COPY pip.conf requirements.txt ./
COPY wheels/ ./wheels/
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
