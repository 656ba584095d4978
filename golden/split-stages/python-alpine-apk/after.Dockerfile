FROM python:3.12-alpine AS builder
RUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev \
 && apk add --no-cache libpq tini
WORKDIR /srv
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir -r requirements.txt
RUN apk del .build-deps

FROM python:3.12-alpine
RUN apk add --no-cache libpq tini
WORKDIR /srv
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY . .
RUN python manage.py collectstatic --noinput
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "site.wsgi"]
