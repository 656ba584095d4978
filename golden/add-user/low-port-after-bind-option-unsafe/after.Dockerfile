FROM python:3.11-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /srv/www && chown app:app /srv/www
WORKDIR /srv/www
COPY --chown=app:app index.html .
USER 10001:10001
CMD ["python", "-m", "http.server", "--bind", "0.0.0.0", "80"]
