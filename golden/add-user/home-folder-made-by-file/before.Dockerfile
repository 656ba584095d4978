FROM python:3.11-slim
ENV APP_HOME=/home/app
RUN mkdir $APP_HOME
WORKDIR $APP_HOME
COPY . .
CMD ["python", "app.py"]
