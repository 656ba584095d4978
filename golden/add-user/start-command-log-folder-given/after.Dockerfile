FROM python:3.11-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app /srv/logs && chown app:app /app /srv/logs
WORKDIR /app
COPY --chown=app:app requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=app:app . .
USER 10001:10001
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile=/srv/logs/access.log", "--pid", "/tmp/gunicorn.pid", "wsgi:app"]
