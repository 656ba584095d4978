FROM python:3.12-slim
COPY requirements.txt .
RUN pip install -r requirements.txt && pip cache dir | xargs rm -rf
