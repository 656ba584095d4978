FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app /var/lib/notes && chown app:app /app /var/lib/notes
WORKDIR /app
COPY --chown=app:app requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=app:app . .
USER 10001:10001
ENV DATA_DIR=/var/lib/notes
CMD ["gunicorn", "--workers", "1", "--bind", "0.0.0.0:8000", "app:app"]
