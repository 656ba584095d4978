FROM python:3.12-slim
SHELL ["/bin/bash", "-c"]
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt && rm -rf /root/.cache/{pip,matplotlib}
COPY . .
CMD ["python", "app.py"]
