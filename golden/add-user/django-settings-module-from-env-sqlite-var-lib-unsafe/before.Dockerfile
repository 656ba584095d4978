FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=mysite.settings_prod
CMD ["gunicorn", "mysite.wsgi"]
