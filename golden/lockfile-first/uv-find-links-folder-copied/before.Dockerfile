FROM python:3.12-slim
RUN pip install uv==0.4.30
WORKDIR /app
COPY . .
RUN uv sync --frozen --no-dev
CMD [".venv/bin/python", "app.py"]
