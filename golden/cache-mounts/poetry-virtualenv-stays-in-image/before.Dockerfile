FROM python:3.11
RUN pip install poetry==1.8.3
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry install --only main --no-root
COPY . .
RUN poetry install --only main
CMD ["poetry", "run", "python", "-m", "report"]
