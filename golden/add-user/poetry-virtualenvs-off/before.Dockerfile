FROM python:3.12-bookworm
ENV POETRY_VIRTUALENVS_CREATE=false
RUN apt-get update && apt-get install -y --no-install-recommends gcc libffi-dev && rm -rf /var/lib/apt/lists/*
RUN pip install poetry==1.8.3
WORKDIR /srv/api
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root --only main
COPY . .
CMD ["python", "-m", "api"]
