# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN --mount=type=cache,target=/root/.cache/pip pip install uv==0.13.6
COPY uv.toml /root/.config/uv/uv.toml
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen
CMD ["/app/.venv/bin/python", "-m", "glyphs"]
