FROM python:3.11
WORKDIR /code
COPY pyproject.toml poetry.lock /code/
RUN poetry install --no-interaction --only main --no-root
COPY . /code
RUN poetry install --no-interaction --only main
CMD ["poetry", "run", "app"]
