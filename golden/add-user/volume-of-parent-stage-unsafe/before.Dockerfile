FROM python:3.12-slim AS base
VOLUME /data

FROM base
WORKDIR /app
COPY . .
CMD ["python", "app.py"]
