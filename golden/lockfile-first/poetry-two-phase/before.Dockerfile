FROM python:3.11
WORKDIR /code
COPY . /code
RUN poetry install --no-interaction --only main
CMD ["poetry", "run", "app"]
