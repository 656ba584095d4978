FROM python:3.12-slim
RUN pip install uv==0.13.6
COPY uv.toml /etc/uv/uv.toml
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-config
CMD ["/app/.venv/bin/python", "-m", "glyphs"]
