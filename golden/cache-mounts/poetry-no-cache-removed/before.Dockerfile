FROM python:3.12
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root --no-cache
