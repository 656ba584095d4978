FROM python:3.12-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /srv && chown app:app /srv
WORKDIR /srv
COPY --chown=app:app index.html .
USER 10001:10001
CMD ["python", "-m", "http.server", "80"]
