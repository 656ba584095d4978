FROM python:3.12-slim
RUN pip install uv==0.5.11
WORKDIR /app
COPY . .
RUN uv sync --frozen --no-install-project
CMD [".venv/bin/python", "app.py"]
