FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN python -m django migrate --settings=mysite.settings
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
