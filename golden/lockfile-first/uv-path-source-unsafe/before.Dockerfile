FROM python:3.12-slim
RUN pip install uv==0.13.6
WORKDIR /app
COPY . .
RUN uv sync --frozen --no-dev
CMD ["/app/.venv/bin/python", "-m", "app"]
