FROM python:3.11
ENV PIP_CACHE_DIR=/var/cache/pip
COPY requirements.txt .
RUN pip install -r requirements.txt
