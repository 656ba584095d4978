FROM python:3.11-slim AS base
RUN groupadd --gid 10002 worker && useradd --uid 10002 --gid worker --create-home worker

FROM base
RUN mkdir -p /app && chown worker:worker /app
WORKDIR /app
COPY --chown=worker:worker . .
USER 10002
CMD ["python", "app.py"]
