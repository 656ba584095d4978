FROM python:3.12-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app /app/uploads /var/log/app /data && chown app:app /app /app/uploads /var/log/app /data
WORKDIR /app
COPY --chown=app:app requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=app:app . .
RUN mkdir -p /app/uploads /var/log/app
USER 10001:10001
VOLUME /data
CMD ["python", "server.py"]
