# syntax=docker/dockerfile:1
FROM python:3.11
ENV POETRY_VERSION=1.8.3
RUN --mount=type=cache,target=/root/.cache/pip pip install "poetry==$POETRY_VERSION"
WORKDIR /app
COPY pyproject.toml poetry.lock poetry.toml ./
RUN poetry install --only main --no-root
COPY . .
CMD ["poetry", "run", "python", "-m", "report"]
