FROM python:3.11-slim
USER www-data
RUN pip install --user flask
