FROM python:3.12-slim
RUN pip install uv==0.13.6
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN uv sync --frozen --no-dev
CMD ["/app/.venv/bin/python", "-m", "app"]
