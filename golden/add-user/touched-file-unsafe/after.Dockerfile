FROM python:3.11-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app /app/data && chown app:app /app /app/data
WORKDIR /app
COPY --chown=app:app . .
RUN mkdir -p data && touch data/hits.txt
USER 10001:10001
CMD ["python", "app.py"]
