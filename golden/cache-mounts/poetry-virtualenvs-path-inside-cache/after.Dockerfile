# syntax=docker/dockerfile:1
FROM python:3.11
RUN --mount=type=cache,target=/root/.cache/pip pip install poetry==1.8.3
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.path /root/.cache/pypoetry/cache/venvs \
 && poetry install --only main --no-root
COPY . .
CMD ["poetry", "run", "python", "-m", "report"]
