FROM python:3.12-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
ADD https://example.com/assets/ms-2.1.3.tgz /usr/share/myapp/ms.tgz
WORKDIR /app
COPY --chown=app:app . .
USER 10001:10001
CMD ["python", "app.py"]
