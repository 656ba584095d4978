FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app /app/var /app/var/cache && chown app:app /app /app/var /app/var/cache
WORKDIR /app
COPY --chown=app:app . .
RUN mkdir -pm 755 /app/var/cache
USER 10001:10001
CMD ["python", "app.py"]
