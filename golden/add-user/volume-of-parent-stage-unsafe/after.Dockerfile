FROM python:3.12-slim AS base
VOLUME /data

FROM base
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app /data && chown app:app /app /data
WORKDIR /app
COPY --chown=app:app . .
USER 10001:10001
CMD ["python", "app.py"]
