FROM python:3.11
WORKDIR /app
COPY . .
RUN uv sync --frozen --link-mode symlink
