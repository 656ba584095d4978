FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
RUN python manage.py collectstatic --noinput
CMD ["sh", "-c", "python manage.py collectstatic --noinput --clear && python manage.py runserver 0.0.0.0:8000"]
