FROM python:3.12-slim
SHELL ["/bin/bash", "-c"]
COPY requirements.txt .
RUN pip install -r requirements.txt && rm -rf /root/.cache/{pip,matplotlib}
