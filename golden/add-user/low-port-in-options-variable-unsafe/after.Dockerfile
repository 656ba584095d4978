FROM python:3.11-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
ENV GUNICORN_CMD_ARGS="--bind=0.0.0.0:80 --workers 2" CACHE_SERVER=localhost:11
COPY --chown=app:app . .
USER 10001:10001
CMD ["gunicorn", "wsgi:app"]
