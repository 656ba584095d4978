FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt && python manage.py collectstatic --noinput
CMD ["python", "app.py"]
