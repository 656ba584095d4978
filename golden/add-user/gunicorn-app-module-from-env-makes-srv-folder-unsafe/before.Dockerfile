FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
ENV APP_MODULE=app:app
CMD gunicorn "$APP_MODULE"
