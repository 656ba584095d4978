FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN mkdir -p /var/lib/app && cp -r seed/. /var/lib/app/
CMD ["python", "app.py"]
