# syntax=docker/dockerfile:1
# The builder stage of a two-stage image: pip builds every wheel, the final stage installs them offline.
FROM python:3.12-slim AS builder
COPY requirements.txt /tmp
RUN --mount=type=cache,target=/root/.cache/pip \
    pip wheel --wheel-dir /wheels uwsgi "psycopg[c]" -r /tmp/requirements.txt

FROM python:3.12-slim
COPY --from=builder /wheels /wheels
COPY . /app
WORKDIR /app
CMD ["uwsgi", "app.ini"]
