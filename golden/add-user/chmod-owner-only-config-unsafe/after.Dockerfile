FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app requirements.txt .
RUN pip install -r requirements.txt
COPY settings.toml /etc/myapp/settings.toml
RUN chmod 600 /etc/myapp/settings.toml
COPY --chown=app:app app.py .
USER 10001:10001
CMD ["gunicorn", "--workers", "1", "--bind", "0.0.0.0:8000", "app:app"]
