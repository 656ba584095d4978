FROM python:3.11
ARG APP_HOME=/app
WORKDIR ${APP_HOME}
COPY app.py .
CMD ["python", "app.py"]
