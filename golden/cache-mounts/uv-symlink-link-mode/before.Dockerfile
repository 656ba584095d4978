FROM python:3.11
WORKDIR /app
COPY pyproject.toml uv.lock ./
ENV UV_LINK_MODE=symlink
RUN uv sync --frozen --no-install-project
