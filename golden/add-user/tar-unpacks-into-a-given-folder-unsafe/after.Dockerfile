FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app /opt/vendor && chown app:app /app /opt/vendor
WORKDIR /app
COPY --chown=app:app . .
RUN pip install -r requirements.txt && mkdir -p /opt/vendor && tar -xf vendor/licence.tar -C /opt/vendor
USER 10001:10001
CMD ["python", "app.py"]
