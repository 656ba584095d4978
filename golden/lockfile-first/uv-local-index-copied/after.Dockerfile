FROM python:3.12-slim
RUN pip install uv==0.5.11
ENV UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY simple/ ./simple/
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
CMD ["/opt/venv/bin/python", "app.py"]
