FROM python:3.12-slim
WORKDIR /app
COPY . .
COPY --chown=root:root settings.json /app/settings.json
CMD ["python", "app.py"]
