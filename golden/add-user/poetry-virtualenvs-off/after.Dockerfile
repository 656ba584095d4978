FROM python:3.12-bookworm
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /srv/api && chown app:app /srv/api
ENV POETRY_VIRTUALENVS_CREATE=false
RUN apt-get update && apt-get install -y --no-install-recommends gcc libffi-dev && rm -rf /var/lib/apt/lists/*
RUN pip install poetry==1.8.3
WORKDIR /srv/api
COPY --chown=app:app pyproject.toml poetry.lock ./
RUN poetry install --no-root --only main
COPY --chown=app:app . .
USER 10001:10001
CMD ["python", "-m", "api"]
