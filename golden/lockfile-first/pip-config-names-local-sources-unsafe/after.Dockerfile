FROM python:3.11-slim
WORKDIR /app
ENV PIP_CONFIG_FILE=/app/pip.conf
COPY pip.conf requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
