FROM python:3.11-slim AS base
RUN groupadd --gid 10002 worker && useradd --uid 10002 --gid worker --create-home worker

FROM base
WORKDIR /app
COPY . .
CMD ["python", "app.py"]
