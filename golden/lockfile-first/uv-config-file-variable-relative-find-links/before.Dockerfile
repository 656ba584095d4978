FROM python:3.12-slim
RUN pip install uv==0.5.11
ENV UV_CONFIG_FILE=ci/uv.toml
WORKDIR /app
COPY . .
RUN uv pip install --system -r requirements.txt
CMD ["python", "app.py"]
