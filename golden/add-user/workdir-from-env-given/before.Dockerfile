FROM python:3.11
ENV APP_HOME=/srv/app
WORKDIR $APP_HOME
COPY app.py .
CMD ["python", "app.py"]
