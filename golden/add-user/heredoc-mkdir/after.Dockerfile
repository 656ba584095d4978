# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app /var/cache/app && chown app:app /app /var/cache/app
WORKDIR /app
COPY --chown=app:app . .
RUN <<SH
set -e
pip install -r requirements.txt
mkdir -p /var/cache/app
SH
USER 10001:10001
CMD ["python", "main.py"]
