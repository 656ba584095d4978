FROM python:3.12-slim
RUN pip install uv==0.5.11
ENV UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
COPY . .
RUN uv sync --frozen --no-dev --no-install-project
CMD ["/opt/venv/bin/python", "app.py"]
